package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.analytics.AnalyticsReport;
import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.AnalyticsRepository.CallCount;
import dev.gatehouse.store.Store;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gateways' analytics through the management API, per organization: by API for its publishers and admins, by
 * application for the applications' owners (admins see every application of the organization), per minute over a
 * time range of at most {@link #MAX_RANGE}. An API's calls can also be told apart by resource ({@code groupBy=resource}).
 */
final class AnalyticsOperations {

    static final Duration MAX_RANGE = Duration.ofDays(31);
    private static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    /** Between an API's ID and its resource in a per-resource series' key; IDs never hold a newline. */
    private static final String RESOURCE_SEPARATOR = "\n";

    private final Store store;

    AnalyticsOperations(Store store) {
        this.store = store;
    }

    Map<String, Operation> operations() {
        return Map.of(
                "getApiAnalytics", this::byApi,
                "getApplicationAnalytics", this::byApplication);
    }

    /** The range asked for, whole minutes, validated; the field at fault is named. */
    private record Range(Instant from, Instant to, Environment environment) {

        static Range of(Request request, Instant now) {
            Instant to = instant(request, "to");
            if (to == null) {
                to = now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
            }
            Instant from = instant(request, "from");
            if (from == null) {
                from = to.minus(DEFAULT_RANGE);
            }
            if (!from.isBefore(to)) {
                throw Problem.invalid("from", "from must be before to");
            }
            if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
                throw Problem.invalid("to", "to must be at most " + MAX_RANGE.toDays() + " days after from");
            }
            String environment = request.query("environment");
            return new Range(from, to, environment == null ? null : Environment.fromWireName(environment));
        }

        private static Instant instant(Request request, String name) {
            String value = request.query(name);
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                throw Problem.invalid(name, name + " must be an ISO-8601 instant such as 2026-11-28T15:00:00Z");
            }
        }

        JsonObject answer() {
            return new JsonObject().put("from", from.toString()).put("to", to.toString())
                    .put("environment", environment == null ? null : environment.wireName());
        }
    }

    private Reply byApi(Request request) {
        Range range = Range.of(request, store.clock().instant());
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            request.caller().require(org, Role.PUBLISHER);
            String apiId = request.query("apiId");
            if (apiId != null) {
                Lookups.api(tx, request.caller(), org, apiId);
            }
            Map<String, String> names = tx.apis().list(org.id()).stream()
                    .collect(Collectors.toMap(Api::id, api -> api.name() + " " + api.version()));
            List<CallCount> counts = tx.analytics().between(org.id(), range.from(), range.to(), range.environment(),
                    apiId == null ? null : Set.of(apiId), null);
            if ("resource".equals(request.query("groupBy"))) {
                return Reply.ok(range.answer().put("groupBy", "resource").put("series", AnalyticsReport.series(counts,
                        count -> count.apiId() + RESOURCE_SEPARATOR + count.resource(), key -> {
                            String[] parts = key.split(RESOURCE_SEPARATOR, 2);
                            return new JsonObject().put("apiId", parts[0]).put("resource", parts[1])
                                    .put("name", names.getOrDefault(parts[0], parts[0]) + " " + parts[1]);
                        })));
            }
            return Reply.ok(range.answer().put("groupBy", "api").put("series", AnalyticsReport.series(counts,
                    CallCount::apiId, key -> new JsonObject().put("apiId", key).put("name", names.getOrDefault(key, key)))));
        });
    }

    private Reply byApplication(Request request) {
        Range range = Range.of(request, store.clock().instant());
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            String applicationId = request.query("applicationId");
            List<Application> visible;
            if (applicationId != null) {
                visible = List.of(Lookups.application(tx, request.caller(), org, applicationId));
            } else if (request.caller().hasRole(org, Role.ADMIN)) {
                visible = tx.applications().list(org.id());
            } else {
                visible = tx.applications().listOwnedBy(org.id(), request.caller().user().id());
            }
            Map<String, String> names = visible.stream()
                    .collect(Collectors.toMap(Application::id, Application::name));
            List<CallCount> counts = tx.analytics().between(org.id(), range.from(), range.to(), range.environment(),
                    null, names.keySet());
            return Reply.ok(range.answer().put("series", AnalyticsReport.series(counts, CallCount::applicationId,
                    key -> new JsonObject().put("applicationId", key).put("name", names.getOrDefault(key, key)))));
        });
    }
}
