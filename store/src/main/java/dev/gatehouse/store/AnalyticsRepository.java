package dev.gatehouse.store;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.analytics.CallMinute;
import dev.gatehouse.model.analytics.LatencyBuckets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The gateways' call counts per minute: added to as batches arrive, read back by time range. Not configuration:
 * written with {@link Store#record}, so storing analytics never sends gateways a new snapshot.
 */
public final class AnalyticsRepository {

    /** One stored row: the calls of a minute for one environment, API resource, application and status class. */
    public record CallCount(Instant minute, Environment environment, String apiId, String resource,
                            String applicationId, String statusClass, long requests, long latencyMicros,
                            List<Long> latencyBuckets) {

        public CallCount {
            latencyBuckets = List.copyOf(latencyBuckets);
        }
    }

    private final Handle handle;
    private final Clock clock;

    AnalyticsRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /**
     * Notes that a batch has arrived; false if it had already, and must not be counted again. Two replicas storing
     * the same batch at once make one of the transactions fail on the key, and the gateway send it again.
     */
    public boolean markReceived(String batchId, String gatewayId) {
        boolean seen = handle.createQuery("SELECT COUNT(*) FROM analytics_batches WHERE batch_id = :id")
                .bind("id", batchId).mapTo(Integer.class).one() > 0;
        if (seen) {
            return false;
        }
        handle.createUpdate("INSERT INTO analytics_batches (batch_id, gateway_id, received_at) "
                        + "VALUES (:id, :gateway, :now)")
                .bind("id", batchId)
                .bind("gateway", gatewayId)
                .bind("now", Columns.timestamp(clock.instant()))
                .execute();
        return true;
    }

    /** Forgets batch IDs received before {@code before}: no gateway sends a batch again that late. */
    public int forgetBatchesBefore(Instant before) {
        return handle.createUpdate("DELETE FROM analytics_batches WHERE received_at < :before")
                .bind("before", Columns.timestamp(before))
                .execute();
    }

    /** Adds a minute's counts of an organization's API, in an environment, to what is stored for that minute. */
    public void add(String orgId, Environment environment, CallMinute counted) {
        Optional<String> stored = handle.createQuery("""
                        SELECT latency_buckets FROM call_analytics
                        WHERE org_id = :org AND minute_start = :minute AND environment = :environment AND api_id = :api
                          AND resource = :resource AND application_id = :application AND status_class = :status
                        FOR UPDATE""")
                .bind("org", orgId)
                .bind("minute", Columns.timestamp(counted.minute()))
                .bind("environment", environment.name())
                .bind("api", counted.apiId())
                .bind("resource", counted.resource())
                .bind("application", counted.applicationId())
                .bind("status", counted.statusClass())
                .mapTo(String.class)
                .findOne();
        String sql = stored.isPresent() ? """
                UPDATE call_analytics
                SET requests = requests + :requests, latency_micros = latency_micros + :latency,
                    latency_buckets = :buckets
                WHERE org_id = :org AND minute_start = :minute AND environment = :environment AND api_id = :api
                  AND resource = :resource AND application_id = :application AND status_class = :status""" : """
                INSERT INTO call_analytics (org_id, minute_start, environment, api_id, resource, application_id,
                    status_class, requests, latency_micros, latency_buckets)
                VALUES (:org, :minute, :environment, :api, :resource, :application, :status, :requests, :latency,
                    :buckets)""";
        List<Long> buckets = stored.map(AnalyticsRepository::buckets)
                .map(before -> LatencyBuckets.add(before, counted.latencyBuckets()))
                .orElse(counted.latencyBuckets());
        handle.createUpdate(sql)
                .bind("org", orgId)
                .bind("minute", Columns.timestamp(counted.minute()))
                .bind("environment", environment.name())
                .bind("api", counted.apiId())
                .bind("resource", counted.resource())
                .bind("application", counted.applicationId())
                .bind("status", counted.statusClass())
                .bind("requests", counted.requests())
                .bind("latency", counted.latencyMicros())
                .bind("buckets", String.join(",", buckets.stream().map(String::valueOf).toList()))
                .execute();
    }

    /**
     * The organization's rows with {@code from <= minute < to}, in minute order, optionally only for some APIs or
     * some applications (null: all) and one environment (null: both).
     */
    public List<CallCount> between(String orgId, Instant from, Instant to, Environment environment,
                                   Collection<String> apiIds, Collection<String> applicationIds) {
        StringBuilder sql = new StringBuilder("SELECT * FROM call_analytics WHERE org_id = :org AND minute_start >= :from"
                + " AND minute_start < :to");
        if (environment != null) {
            sql.append(" AND environment = :environment");
        }
        if (apiIds != null) {
            sql.append(apiIds.isEmpty() ? " AND 1 = 0" : " AND api_id IN (<apis>)");
        }
        if (applicationIds != null) {
            sql.append(applicationIds.isEmpty() ? " AND 1 = 0" : " AND application_id IN (<applications>)");
        }
        sql.append(" ORDER BY minute_start, api_id, application_id, resource, status_class, environment");
        Query query = handle.createQuery(sql.toString())
                .bind("org", orgId)
                .bind("from", Columns.timestamp(from))
                .bind("to", Columns.timestamp(to));
        if (environment != null) {
            query.bind("environment", environment.name());
        }
        if (apiIds != null && !apiIds.isEmpty()) {
            query.bindList("apis", new ArrayList<>(apiIds));
        }
        if (applicationIds != null && !applicationIds.isEmpty()) {
            query.bindList("applications", new ArrayList<>(applicationIds));
        }
        return query.map((rs, ctx) -> new CallCount(Columns.instant(rs, "minute_start"),
                        Environment.valueOf(rs.getString("environment")), rs.getString("api_id"),
                        rs.getString("resource"), rs.getString("application_id"), rs.getString("status_class"),
                        rs.getLong("requests"), rs.getLong("latency_micros"), buckets(rs.getString("latency_buckets"))))
                .list();
    }

    private static List<Long> buckets(String stored) {
        List<Long> counts = Arrays.stream(stored.split(",")).map(Long::parseLong).toList();
        if (counts.size() != LatencyBuckets.COUNT) {
            throw new IllegalStateException("stored latency buckets have " + counts.size() + " entries, not "
                    + LatencyBuckets.COUNT);
        }
        return counts;
    }
}
