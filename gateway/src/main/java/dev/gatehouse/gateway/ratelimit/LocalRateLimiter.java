package dev.gatehouse.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.model.RateLimit;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * Rate limits counted in this gateway's memory. Where several gateways serve an environment, each allows its
 * share of a tier: the tier divided by the live gateways. Exact for a single gateway; for several, as exact as
 * the load balancer is even. Also the fallback of the {@link RedisRateLimiter}. Buckets are forgotten once idle
 * for longer than any window, so memory follows the active callers.
 */
public final class LocalRateLimiter implements RateLimiter {

    private static final Duration IDLE = Duration.ofDays(1).plusMinutes(1);
    private static final long MAX_BUCKETS = 1_000_000;

    private final TimeMeter time;
    private final IntSupplier liveGateways;
    private final Cache<String, Bucket> buckets;

    /** For the environment's only gateway. */
    public LocalRateLimiter(Clock clock) {
        this(clock, () -> 1);
    }

    /** @param liveGateways how many gateways serve the environment, each counting its share */
    public LocalRateLimiter(Clock clock, IntSupplier liveGateways) {
        this.time = Buckets.timeMeter(clock);
        this.liveGateways = liveGateways;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(IDLE)
                .maximumSize(MAX_BUCKETS)
                .ticker(time::currentTimeNanos)
                .build();
    }

    @Override
    public Future<Quota> acquire(String key, RateLimit limit) {
        return Future.succeededFuture(acquireNow(key, limit));
    }

    Quota acquireNow(String key, RateLimit tier) {
        RateLimit limit = tier.share(Math.max(1, liveGateways.getAsInt()));
        Bucket bucket = buckets.get(Buckets.key(key, limit), ignored -> Bucket.builder()
                .addLimit(Buckets.configuration(limit).getBandwidths()[0])
                .withCustomTimePrecision(time)
                .build());
        return Buckets.quota(bucket.tryConsumeAndReturnRemaining(1), limit);
    }

    @Override
    public boolean shared() {
        return false;
    }
}
