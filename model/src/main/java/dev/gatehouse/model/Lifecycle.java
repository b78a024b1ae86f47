package dev.gatehouse.model;

import java.util.Locale;
import java.util.Set;

/**
 * The lifecycle of an API. Created APIs are visible to their publishers only; published ones show in the
 * developer portal and take new subscriptions; deprecated ones keep serving existing subscribers but take no
 * new ones; retired ones are gone from the gateways; blocked ones are answered with 503 by the gateways until
 * they are published again.
 */
public enum Lifecycle {
    CREATED,
    PUBLISHED,
    DEPRECATED,
    RETIRED,
    BLOCKED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Lifecycle fromWireName(String name) {
        for (Lifecycle state : values()) {
            if (state.wireName().equals(name)) {
                return state;
            }
        }
        throw new IllegalArgumentException("unknown lifecycle state '" + name + "'");
    }

    /** The states this one may move to, as in WSO2 API Manager's default lifecycle. */
    public Set<Lifecycle> next() {
        return switch (this) {
            case CREATED -> Set.of(PUBLISHED);
            case PUBLISHED -> Set.of(DEPRECATED, BLOCKED, CREATED);
            case DEPRECATED -> Set.of(RETIRED, PUBLISHED);
            case BLOCKED -> Set.of(PUBLISHED, DEPRECATED);
            case RETIRED -> Set.of();
        };
    }

    /** Whether the gateways route calls for an API in this state (blocked APIs are routed, then refused). */
    public boolean routable() {
        return this != RETIRED;
    }

    /** Whether applications may take a new subscription to an API in this state. */
    public boolean subscribable() {
        return this == PUBLISHED;
    }
}
