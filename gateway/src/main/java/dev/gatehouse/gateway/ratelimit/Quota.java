package dev.gatehouse.gateway.ratelimit;

import dev.gatehouse.model.RateLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * The answer of a {@link RateLimiter} for one call.
 *
 * @param granted   whether the call may go on
 * @param limit     the tier that was applied
 * @param remaining the calls left in the current window after this one
 * @param reset     when the allowance comes back whole
 * @param retryAfter for a refused call, how long until one more call would be granted; zero otherwise
 */
public record Quota(boolean granted, RateLimit limit, long remaining, Duration reset, Duration retryAfter) {

    public Quota {
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(reset, "reset");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** {@code RateLimit-Policy}, per the IETF RateLimit header fields draft: {@code "Gold";q=5000;w=60}. */
    public String policyHeader() {
        return "\"" + limit.policy().replace("\\", "\\\\").replace("\"", "\\\"") + "\";q=" + limit.burst()
                + ";w=" + limit.window().toSeconds();
    }

    /** {@code RateLimit}: the calls left and the seconds until the allowance resets, {@code "Gold";r=41;t=17}. */
    public String stateHeader() {
        return "\"" + limit.policy().replace("\\", "\\\\").replace("\"", "\\\"") + "\";r=" + remaining
                + ";t=" + ceilSeconds(reset);
    }

    /** {@code Retry-After} in whole seconds, rounded up so that a client waiting that long is let through. */
    public long retryAfterSeconds() {
        return Math.max(1, ceilSeconds(retryAfter));
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.getSeconds();
        return duration.getNano() > 0 ? seconds + 1 : seconds;
    }
}
