package dev.gatehouse.model.analytics;

import dev.gatehouse.model.Environment;
import java.util.List;
import java.util.Objects;

/**
 * What a gateway ships to the control plane at once: the minutes it counted since the last batch. The batch ID
 * makes delivery idempotent: a batch sent again, after an answer that was lost, is stored once.
 *
 * @param batchId   unique per batch, 1 to 64 letters, digits and {@code -}
 * @param gatewayId the gateway that counted the calls
 */
public record AnalyticsBatch(String batchId, String gatewayId, Environment environment, List<CallMinute> minutes) {

    public AnalyticsBatch {
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(environment, "environment");
        if (!batchId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("batchId must be 1 to 64 letters, digits or '-'");
        }
        minutes = List.copyOf(minutes);
    }

    /** How many calls the batch counts. */
    public long requests() {
        return minutes.stream().mapToLong(CallMinute::requests).sum();
    }
}
