package dev.gatehouse.controlplane;

import dev.gatehouse.model.RateLimit;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.TierRepository;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
     * @throws NoSuchElementException when the organization has no such tier
     */
    public static Optional<RateLimit> limit(Repositories tx, String orgId, String name) {
        if (UNLIMITED.equals(name)) {
            return Optional.empty();
        }
        return Optional.of(builtIn(name).or(() -> tx.tiers().find(orgId, name)).orElseThrow());
    }

    /** Every organization's tiers read at once, for building a snapshot. */
    public static Catalog catalog(Repositories tx) {
        Map<String, Map<String, RateLimit>> custom = new HashMap<>();
        for (TierRepository.OrgTier held : tx.tiers().listAll()) {
            custom.computeIfAbsent(held.orgId(), org -> new HashMap<>()).put(held.tier().policy(), held.tier());
        }
        return new Catalog(custom);
    }

    /** The tiers of every organization, as read by {@link #catalog}. */
    public static final class Catalog {

        private final Map<String, Map<String, RateLimit>> custom;

        private Catalog(Map<String, Map<String, RateLimit>> custom) {
            this.custom = custom;
        }

        /**
         * The limit of the organization's tier of that name: empty for Unlimited.
         *
         * @throws NoSuchElementException when the organization has no such tier
         */
        public Optional<RateLimit> limit(String orgId, String name) {
            if (UNLIMITED.equals(name)) {
                return Optional.empty();
            }
            return Optional.of(builtIn(name)
                    .or(() -> Optional.ofNullable(custom.getOrDefault(orgId, Map.of()).get(name)))
                    .orElseThrow(() -> new NoSuchElementException("organization " + orgId + " has no tier '"
                            + name + "'")));
        }
    }

    private static Optional<RateLimit> builtIn(String name) {
        return BUILT_IN.stream().filter(tier -> tier.policy().equals(name)).findFirst();
    }
}
