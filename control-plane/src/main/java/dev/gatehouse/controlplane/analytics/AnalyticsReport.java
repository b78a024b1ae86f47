package dev.gatehouse.controlplane.analytics;

import dev.gatehouse.model.analytics.LatencyBuckets;
import dev.gatehouse.store.AnalyticsRepository.CallCount;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Stored call counts merged into per-minute series, as the management API shows them: for each series (an API, or
 * an application) and minute, the requests, the errors by status class, and latency percentiles computed from the
 * latency buckets added up over resources, status classes, environments and gateways.
 */
public final class AnalyticsReport {

    private static final List<String> ERROR_CLASSES = List.of("4xx", "5xx", "cut_off");

    private AnalyticsReport() {
    }

    /** What one minute of one series adds up to. */
    private static final class Minute {
        long requests;
        final Map<String, Long> errors = new LinkedHashMap<>();
        List<Long> buckets = LatencyBuckets.none();

        Minute() {
            ERROR_CLASSES.forEach(statusClass -> errors.put(statusClass, 0L));
        }

        void add(CallCount count) {
            requests += count.requests();
            errors.computeIfPresent(count.statusClass(), (statusClass, calls) -> calls + count.requests());
            buckets = LatencyBuckets.add(buckets, count.latencyBuckets());
        }

        JsonObject toJson(String minute) {
            return new JsonObject()
                    .put("minute", minute)
                    .put("requests", requests)
                    .put("errors", new JsonObject(new LinkedHashMap<>(errors)))
                    .put("latencyMs", new JsonObject()
                            .put("p50", rounded(LatencyBuckets.quantileMillis(buckets, 0.50)))
                            .put("p95", rounded(LatencyBuckets.quantileMillis(buckets, 0.95)))
                            .put("p99", rounded(LatencyBuckets.quantileMillis(buckets, 0.99))));
        }
    }

    /**
     * The series of {@code counts}, one per key that {@code seriesOf} gives (counts it maps to null are left out),
     * in the order of their names.
     *
     * @param identify what the answer says a series is, from its key: its ID fields and its {@code name}
     */
    public static JsonArray series(List<CallCount> counts, Function<CallCount, String> seriesOf,
                                   Function<String, JsonObject> identify) {
        Map<String, TreeMap<String, Minute>> byKey = new TreeMap<>();
        for (CallCount count : counts) {
            String key = seriesOf.apply(count);
            if (key != null) {
                byKey.computeIfAbsent(key, k -> new TreeMap<>())
                        .computeIfAbsent(count.minute().toString(), minute -> new Minute())
                        .add(count);
            }
        }
        List<JsonObject> series = new ArrayList<>();
        byKey.forEach((key, minutes) -> {
            JsonArray points = new JsonArray();
            long requests = 0;
            for (Map.Entry<String, Minute> minute : minutes.entrySet()) {
                points.add(minute.getValue().toJson(minute.getKey()));
                requests += minute.getValue().requests;
            }
            series.add(identify.apply(key).put("requests", requests).put("minutes", points).put("key", key));
        });
        series.sort(Comparator.comparing((JsonObject s) -> s.getString("name")).thenComparing(s -> s.getString("key")));
        series.forEach(s -> s.remove("key"));
        return new JsonArray(new ArrayList<>(series));
    }

    /** Milliseconds to the microsecond: finer digits would promise more than the buckets know. */
    private static double rounded(double millis) {
        return Math.round(millis * 1_000) / 1_000.0;
    }
}
