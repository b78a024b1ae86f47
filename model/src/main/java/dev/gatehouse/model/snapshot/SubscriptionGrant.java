package dev.gatehouse.model.snapshot;

import java.util.Objects;

/** An application's subscription to an API; only an active one lets calls through. */
public record SubscriptionGrant(String applicationId, String apiId, String tier, boolean active) {

    public SubscriptionGrant {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(apiId, "apiId");
        Objects.requireNonNull(tier, "tier");
    }
}
