package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.RateLimit;
import java.util.Objects;

/**
 * An application's subscription to an API; only an active one lets calls through.
 *
 * @param tier  the name of the subscription's tier
 * @param limit the tier's rate limit, shared by every gateway of the environment; null for an unlimited tier
 */
public record SubscriptionGrant(String applicationId, String apiId, String tier, boolean active, RateLimit limit) {

    public SubscriptionGrant {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(apiId, "apiId");
        Objects.requireNonNull(tier, "tier");
    }

    /** A subscription on an unlimited tier. */
    public SubscriptionGrant(String applicationId, String apiId, String tier, boolean active) {
        this(applicationId, apiId, tier, active, null);
    }
}
