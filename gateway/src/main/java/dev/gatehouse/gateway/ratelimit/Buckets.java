package dev.gatehouse.gateway.ratelimit;

import dev.gatehouse.model.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The one translation between Gatehouse's tiers and Bucket4j's buckets, for the local and the shared limiter. */
final class Buckets {

    private Buckets() {
    }

    /** Fixed windows: the whole burst at once, {@code requests} back at the end of each window, never above burst. */
    static BucketConfiguration configuration(RateLimit limit) {
        return BucketConfiguration.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(limit.burst())
                        .refillIntervally(limit.requests(), limit.window())
                        .initialTokens(limit.burst())
                        .build())
                .build();
    }

    /** A bucket key that changes with the tier's figures, so a changed tier starts a fresh allowance. */
    static String key(String key, RateLimit limit) {
        return key + ":" + limit.requests() + "/" + limit.window().toSeconds() + "s/" + limit.burst();
    }

    static Quota quota(ConsumptionProbe probe, RateLimit limit) {
        return new Quota(probe.isConsumed(), limit, probe.getRemainingTokens(),
                Duration.ofNanos(probe.getNanosToWaitForReset()),
                probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Bucket4j's time read from the gateway's clock, so tests move it instead of sleeping. */
    static TimeMeter timeMeter(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }
}
