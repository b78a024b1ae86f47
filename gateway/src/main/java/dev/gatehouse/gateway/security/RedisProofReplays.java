package dev.gatehouse.gateway.security;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proofs every gateway of an environment has seen, in Redis, so that a proof replayed to another gateway is
 * refused too. Each proof is checked here in memory first (a replay to the same gateway is refused without asking
 * Redis), then recorded with {@code SET key 1 NX PX window}: only the first gateway to record it gets {@code OK}.
 *
 * <p>When Redis cannot be reached, the gateway does not refuse every DPoP call: it goes on with its own memory
 * alone (replays to the same gateway still refused), logs it, and tries Redis again after a short pause, as the
 * rate limits do.
 */
public final class RedisProofReplays implements ProofReplays {

    private static final Logger LOG = LoggerFactory.getLogger(RedisProofReplays.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final String KEY_PREFIX = "gatehouse:dpop:";

    private final Vertx vertx;
    private final Clock clock;
    private final LocalProofReplays local;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final AtomicReference<Instant> redisAwayUntil = new AtomicReference<>(Instant.MIN);

    /**
     * @param redisUrl       for example {@code redis://redis:6379}
     * @param commandTimeout how long recording a proof may take before the gateway goes on with its own memory
     */
    public RedisProofReplays(Vertx vertx, String redisUrl, Clock clock, Duration commandTimeout) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.local = new LocalProofReplays(clock);
        this.client = RedisClient.create(RedisURI.create(redisUrl));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        this.connection = client.connect();
    }

    @Override
    public Future<Boolean> firstUse(String proofId) {
        if (!local.firstUseNow(proofId)) {
            return Future.succeededFuture(false);
        }
        if (clock.instant().isBefore(redisAwayUntil.get())) {
            return Future.succeededFuture(true);
        }
        Context context = vertx.getOrCreateContext();
        Promise<Boolean> answer = Promise.promise();
        try {
            connection.async()
                    .set(KEY_PREFIX + proofId, "1", SetArgs.Builder.nx().px(DpopProofCheck.REPLAY_WINDOW.toMillis()))
                    .whenComplete((reply, failure) -> context.runOnContext(ignored -> {
                        if (failure != null) {
                            redisIsAway(failure);
                            answer.complete(true);
                        } else {
                            answer.complete("OK".equals(reply));
                        }
                    }));
        } catch (RuntimeException e) {
            redisIsAway(e);
            return Future.succeededFuture(true);
        }
        return answer.future();
    }

    private void redisIsAway(Throwable failure) {
        Instant until = clock.instant().plus(RETRY_AFTER_FAILURE);
        Instant before = redisAwayUntil.getAndSet(until);
        if (before.isBefore(clock.instant().minus(RETRY_AFTER_FAILURE))) {
            LOG.warn("Redis does not answer ({}); DPoP proofs are remembered by this gateway alone, and Redis tried "
                    + "again every {} ms", failure.toString(), RETRY_AFTER_FAILURE.toMillis());
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
