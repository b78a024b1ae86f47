package dev.gatehouse.model.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The calls a gateway answered in one minute for one API resource, application and status class: how many, their
 * total latency, and their latency counted in {@link LatencyBuckets}. A gateway may report one minute in several
 * parts (one per shipping interval); the control plane adds them up.
 *
 * @param minute        the start of the minute, in UTC
 * @param orgHandle     the organization of the API
 * @param resource      the resource as {@code METHOD /template}
 * @param applicationId the calling application; empty when the call was refused before it was known
 * @param statusClass   {@code 1xx} to {@code 5xx}, or {@code cut_off} for a call whose connection closed first
 * @param latencyBuckets the calls counted per latency bucket; {@link LatencyBuckets#COUNT} entries
 */
public record CallMinute(Instant minute, String orgHandle, String apiId, String resource, String applicationId,
                         String statusClass, long requests, long latencyMicros, List<Long> latencyBuckets) {

    public CallMinute {
        Objects.requireNonNull(minute, "minute");
        Objects.requireNonNull(orgHandle, "orgHandle");
        Objects.requireNonNull(apiId, "apiId");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(statusClass, "statusClass");
        latencyBuckets = List.copyOf(latencyBuckets);
        if (latencyBuckets.size() != LatencyBuckets.COUNT) {
            throw new IllegalArgumentException("latencyBuckets must have " + LatencyBuckets.COUNT + " entries, had "
                    + latencyBuckets.size());
        }
        if (requests < 0 || latencyMicros < 0) {
            throw new IllegalArgumentException("requests and latencyMicros must not be negative");
        }
    }
}
