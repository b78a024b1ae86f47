package dev.gatehouse.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.LocalRedis;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways' memories of used DPoP proofs on one real Redis (binaries from the embedded-redis jar): a proof
 * used at one gateway is a replay at the other; with Redis gone, each gateway still refuses replays to itself.
 */
class RedisProofReplaysTest {

    private final Vertx vertx = Vertx.vertx();
    private final Clock clock = Clock.systemUTC();
    private LocalRedis redis;
    private RedisProofReplays first;
    private RedisProofReplays second;

    @BeforeEach
    void start() {
        redis = LocalRedis.start();
        first = new RedisProofReplays(vertx, redis.url(), clock, Duration.ofMillis(500));
        second = new RedisProofReplays(vertx, redis.url(), clock, Duration.ofMillis(500));
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        redis.close();
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
    void withoutRedis_eachGatewayStillRefusesReplaysToItself() {
        redis.stop();
        String proof = proofId();

        assertThat(Await.result(first.firstUse(proof))).isTrue();
        assertThat(Await.result(first.firstUse(proof))).isFalse();
    }
}
