package dev.gatehouse.gateway.security;

import dev.gatehouse.gateway.redis.SharedRedis;
import io.lettuce.core.SetArgs;
import io.lettuce.core.codec.StringCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;

/**
 * The proofs every gateway of an environment has seen, in Redis, so that a proof replayed to another gateway is
 * refused too. Each proof is checked here in memory first (a replay to the same gateway is refused without asking
 * Redis), then recorded with {@code SET key 1 NX PX window}: only the first gateway to record it gets {@code OK}.
 *
 * <p>When Redis cannot be reached, the gateway does not refuse every DPoP call: it goes on with its own memory
 * alone (replays to the same gateway still refused) and goes back to Redis by itself, as the rate limits do
 * ({@link SharedRedis}).
 */
public final class RedisProofReplays implements ProofReplays {

    private static final String KEY_PREFIX = "gatehouse:dpop:";

    private final LocalProofReplays local;
    private final SharedRedis<String> redis;

    /**
     * @param redisUrl       for example {@code redis://redis:6379}
     * @param commandTimeout how long recording a proof may take before the gateway goes on with its own memory
     */
    public RedisProofReplays(Vertx vertx, String redisUrl, Clock clock, Duration commandTimeout) {
        this.local = new LocalProofReplays(clock);
        this.redis = new SharedRedis<>(vertx, redisUrl, StringCodec.UTF8, clock, commandTimeout,
                "DPoP proofs are remembered by this gateway alone");
    }

    @Override
    public Future<Boolean> firstUse(String proofId) {
        if (!local.firstUseNow(proofId)) {
            return Future.succeededFuture(false);
        }
        SetArgs onlyIfNew = SetArgs.Builder.nx().px(DpopProofCheck.REPLAY_WINDOW.toMillis());
        return redis.ask(() -> redis.connection().async().set(KEY_PREFIX + proofId, "1", onlyIfNew)
                .thenApply("OK"::equals), () -> true);
    }

    @Override
    public void close() {
        redis.close();
    }
}
