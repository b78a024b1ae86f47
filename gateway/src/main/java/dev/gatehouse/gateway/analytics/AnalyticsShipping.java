package dev.gatehouse.gateway.analytics;

import java.time.Duration;
import java.util.Objects;

/**
 * How a gateway ships its analytics.
 *
 * @param sink               where batches go
 * @param gatewayId          the gateway's name, carried by every batch
 * @param interval           how often counts are collected and shipped; calls reach the sink one to three intervals
 *                           after they end
 * @param maxBufferedMinutes the most {@code CallMinute} rows kept while the sink fails; beyond it the oldest rows
 *                           are dropped, and the calls they counted added to
 *                           {@code gatehouse_gateway_analytics_dropped_total}
 */
public record AnalyticsShipping(AnalyticsSink sink, String gatewayId, Duration interval, int maxBufferedMinutes) {

    public AnalyticsShipping {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(gatewayId, "gatewayId");
        if (interval == null || interval.toMillis() < 10) {
            throw new IllegalArgumentException("analytics interval must be at least 10 ms, was " + interval);
        }
        if (maxBufferedMinutes < 1) {
            throw new IllegalArgumentException("analytics buffer must hold at least 1 row, was " + maxBufferedMinutes);
        }
    }
}
