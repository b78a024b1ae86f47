package dev.gatehouse.model;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate-limit tier: {@code requests} per {@code window}, with up to {@code burst} of them at once. Counted in
 * fixed windows, as API products commonly define their tiers ("1000 requests per minute"): a client may spend
 * the whole burst at any moment, and the allowance comes back whole, at most {@code burst}, every window.
 *
 * @param policy the tier's name, shown to clients in the {@code RateLimit-Policy} header
 */
public record RateLimit(String policy, long requests, Duration window, long burst) {

    public static final Duration MIN_WINDOW = Duration.ofSeconds(1);

    public RateLimit {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(window, "window");
        if (policy.isBlank()) {
            throw new IllegalArgumentException("policy must not be blank");
        }
        if (requests < 1) {
            throw new IllegalArgumentException("requests must be at least 1, was " + requests);
        }
        if (window.compareTo(MIN_WINDOW) < 0) {
            throw new IllegalArgumentException("window must be at least one second, was " + window);
        }
        if (burst < requests) {
            throw new IllegalArgumentException("burst must be at least requests (" + requests + "), was " + burst);
        }
    }

    /** A tier without a separate burst: {@code requests} per {@code window}. */
    public static RateLimit of(String policy, long requests, Duration window) {
        return new RateLimit(policy, requests, window, requests);
    }

    /** This tier's share when it is enforced by {@code parts} gateways each on its own; never less than 1. */
    public RateLimit share(int parts) {
        if (parts <= 1) {
            return this;
        }
        long shareOfRequests = Math.max(1, requests / parts);
        return new RateLimit(policy, shareOfRequests, window, Math.max(shareOfRequests, burst / parts));
    }
}
