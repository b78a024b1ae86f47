package dev.gatehouse.model.consumer;

import java.time.Instant;
import java.util.Locale;

/** An application's subscription to an API, with the rate-limit tier chosen when subscribing. */
public record Subscription(String id, String applicationId, String apiId, String tier, Status status, Instant createdAt) {

    public enum Status {
        ACTIVE,
        BLOCKED;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromWireName(String name) {
            for (Status status : values()) {
                if (status.wireName().equals(name)) {
                    return status;
                }
            }
            throw new IllegalArgumentException("unknown subscription status '" + name + "' (expected active or blocked)");
        }
    }
}
