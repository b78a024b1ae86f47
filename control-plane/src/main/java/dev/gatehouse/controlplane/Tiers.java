package dev.gatehouse.controlplane;

import dev.gatehouse.model.RateLimit;
import dev.gatehouse.store.Repositories;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The rate-limit tiers a subscription can be on: the built-in ones every organization has, with the usual API
 * product figures, and the organization's own.
 */
public final class Tiers {

    public static final String UNLIMITED = "Unlimited";
    public static final List<RateLimit> BUILT_IN = List.of(
            RateLimit.of("Gold", 5000, Duration.ofMinutes(1)),
            RateLimit.of("Silver", 2000, Duration.ofMinutes(1)),
            RateLimit.of("Bronze", 1000, Duration.ofMinutes(1)));

    private Tiers() {
    }

    public static boolean isBuiltIn(String name) {
        return UNLIMITED.equals(name) || BUILT_IN.stream().anyMatch(tier -> tier.policy().equals(name));
    }

    /**
     * The limit of the organization's tier of that name: empty for Unlimited.
     *
     * @throws java.util.NoSuchElementException when the organization has no such tier
     */
    public static Optional<RateLimit> limit(Repositories tx, String orgId, String name) {
        if (UNLIMITED.equals(name)) {
            return Optional.empty();
        }
        return Optional.of(BUILT_IN.stream().filter(tier -> tier.policy().equals(name)).findFirst()
                .or(() -> tx.tiers().find(orgId, name))
                .orElseThrow());
    }
}
