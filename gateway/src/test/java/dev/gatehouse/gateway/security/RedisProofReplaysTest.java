package dev.gatehouse.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.testing.Await;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Two gateways' memories of used DPoP proofs on one real Redis (binaries from the embedded-redis jar): a proof
 * used at one gateway is a replay at the other; with Redis gone, each gateway still refuses replays to itself.
 */
class RedisProofReplaysTest {

    private final Vertx vertx = Vertx.vertx();
    private final Clock clock = Clock.systemUTC();
    private RedisServer redis;
    private RedisProofReplays first;
    private RedisProofReplays second;

    @BeforeEach
    void start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").build();
        redis.start();
        first = new RedisProofReplays(vertx, "redis://127.0.0.1:" + port, clock, Duration.ofMillis(500));
        second = new RedisProofReplays(vertx, "redis://127.0.0.1:" + port, clock, Duration.ofMillis(500));
    }

    @AfterEach
    void stop() throws IOException {
        first.close();
        second.close();
        if (redis.isActive()) {
            redis.stop();
        }
        Await.result(vertx.close());
    }

    private static String proofId() {
        return "jkt-" + UUID.randomUUID() + " jti-" + UUID.randomUUID();
    }

    @Test
    void aProofUsedAtOneGateway_isAReplayAtTheOther_andAtItself() {
        String proof = proofId();

        assertThat(Await.result(first.firstUse(proof))).isTrue();
        assertThat(Await.result(second.firstUse(proof))).isFalse();
        assertThat(Await.result(first.firstUse(proof))).isFalse();
        assertThat(Await.result(second.firstUse(proofId()))).isTrue();
    }

    @Test
    void withoutRedis_eachGatewayStillRefusesReplaysToItself() throws IOException {
        redis.stop();
        String proof = proofId();

        assertThat(Await.result(first.firstUse(proof))).isTrue();
        assertThat(Await.result(first.firstUse(proof))).isFalse();
    }
}
