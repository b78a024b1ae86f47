package dev.gatehouse.server;

import dev.gatehouse.gateway.analytics.AnalyticsShipping;
import dev.gatehouse.gateway.analytics.AnalyticsSink;
import java.time.Duration;

/**
 * How a process's gateways ship their analytics.
 *
 * @param interval        how often counts are collected and shipped ({@code --analytics-interval})
 * @param maxBufferedRows the most rows a gateway keeps while the control plane cannot take them
 *                        ({@code --analytics-buffer}); the oldest beyond it are dropped, and counted
 */
public record AnalyticsOptions(Duration interval, int maxBufferedRows) {

    /** Every 10 s; 100,000 rows, hours of a busy gateway's minutes. */
    public static final AnalyticsOptions DEFAULT = new AnalyticsOptions(Duration.ofSeconds(10), 100_000);

    public AnalyticsOptions {
        if (interval == null || interval.toMillis() < 10) {
            throw new IllegalArgumentException("analytics-interval must be at least PT0.01S, was " + interval);
        }
        if (maxBufferedRows < 1) {
            throw new IllegalArgumentException("analytics-buffer must be at least 1, was " + maxBufferedRows);
        }
    }

    AnalyticsShipping shipping(AnalyticsSink sink, String gatewayId) {
        return new AnalyticsShipping(sink, gatewayId, interval, maxBufferedRows);
    }
}
