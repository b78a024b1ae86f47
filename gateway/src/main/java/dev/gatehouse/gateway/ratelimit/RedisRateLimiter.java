package dev.gatehouse.gateway.ratelimit;

import dev.gatehouse.gateway.redis.SharedRedis;
import dev.gatehouse.model.RateLimit;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Rate limits shared by every gateway of an environment, counted in Redis.
 *
 * <p>Each allowance is a Bucket4j bucket whose state lives under one Redis key and is updated by compare-and-swap,
 * so concurrent calls through any number of gateways spend one allowance exactly; nothing is kept here between
 * calls. Redis is asked asynchronously through Lettuce, and the answer resumes on the caller's event loop.
 *
 * <p>When Redis cannot be reached (a command fails, or does not answer within the command timeout), the gateway
 * does not stop serving and does not let calls through unlimited: it falls back to counting locally, each gateway
 * allowing its share of the tier (the limit divided by the live gateways of the environment, as the control plane
 * reports them). It tries Redis again after a short pause, and goes back to shared counts by itself once Redis
 * answers. Fallbacks are counted, and {@link #shared()} says which mode it is in.
 */
public final class RedisRateLimiter implements RateLimiter {

    private static final String KEY_PREFIX = "gatehouse:ratelimit:";

    private final SharedRedis<byte[]> redis;
    private final LettuceBasedProxyManager<String> buckets;
    private final LocalRateLimiter fallback;
    private final AtomicLong fallbacks = new AtomicLong();
    private volatile boolean lastCountShared = true;

    /**
     * @param redisUrl       for example {@code redis://redis:6379}
     * @param liveGateways   how many gateways of the environment are alive, to share a tier while Redis is away
     * @param commandTimeout how long a count may take before the gateway counts locally instead
     */
    public RedisRateLimiter(Vertx vertx, String redisUrl, Clock clock, IntSupplier liveGateways,
                            Duration commandTimeout) {
        this.fallback = new LocalRateLimiter(clock, Objects.requireNonNull(liveGateways, "liveGateways"));
        this.redis = new SharedRedis<>(vertx, redisUrl, RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE),
                clock, commandTimeout, "counting rate limits locally, each gateway allowing its share");
        this.buckets = Bucket4jLettuce.casBasedBuilder(redis.connection())
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofMinutes(1)))
                .clientClock(Buckets.timeMeter(clock))
                .build();
    }

    @Override
    public Future<Quota> acquire(String key, RateLimit limit) {
        return redis.ask(() -> buckets.asAsync().builder()
                        .build(KEY_PREFIX + Buckets.key(key, limit),
                                () -> CompletableFuture.completedFuture(Buckets.configuration(limit)))
                        .tryConsumeAndReturnRemaining(1)
                        .thenApply(probe -> {
                            lastCountShared = true;
                            return Buckets.quota(probe, limit);
                        }),
                () -> locally(key, limit));
    }

    private Quota locally(String key, RateLimit limit) {
        lastCountShared = false;
        fallbacks.incrementAndGet();
        return fallback.acquireNow(key, limit);
    }

    /** Whether the last count was shared through Redis rather than kept locally. */
    @Override
    public boolean shared() {
        return lastCountShared;
    }

    /** How many calls have been counted locally because Redis was away. */
    public long fallbacks() {
        return fallbacks.get();
    }

    @Override
    public void close() {
        redis.close();
    }
}
