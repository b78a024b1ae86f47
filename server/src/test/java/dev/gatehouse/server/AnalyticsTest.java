package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.analytics.LatencyBuckets;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analytics end to end over real sockets: calls through the gateways, counted there, shipped to the control plane,
 * stored, and read back through the management API by API and by application, with its role checks; and, from a
 * gateway process, calls made while the control plane is away delivered once it is back.
 */
class AnalyticsTest {

    private static final String ORDERS = "/acme/orders/v1/orders";
    private static final String GATEWAY_TOKEN = "gateway-token-of-the-analytics-test-99";

    private static JsonObject onlySeries(JsonObject analytics) {
        JsonArray series = analytics.getJsonArray("series");
        assertThat(series).as("%s", analytics).hasSize(1);
        return series.getJsonObject(0);
    }

    private static long requests(JsonObject series) {
        return series.getJsonArray("minutes").stream().mapToLong(m -> ((JsonObject) m).getLong("requests")).sum();
    }

    private static long errors(JsonObject series, String statusClass) {
        return series.getJsonArray("minutes").stream()
                .mapToLong(m -> ((JsonObject) m).getJsonObject("errors").getLong(statusClass)).sum();
    }

    @Test
    void callsThroughTheGateway_areReadBackByApiAndByApplication_byWhoMaySeeThem() {
        try (TestGatehouse gh = TestGatehouse.start()) {
            Http http = gh.http;
            String alice = gh.loginDemo(DemoData.SUBSCRIBER);
            String pat = gh.loginDemo(DemoData.PUBLISHER);
            String ada = gh.loginDemo(DemoData.ADMIN);
            TestGatehouse.Keys keys = gh.demoApplication(alice, "charted app", "production", true);
            String appId = keys.appUrl().substring(keys.appUrl().lastIndexOf('/') + 1);
            String ordersApiId = http.get(gh.api("/orgs/acme/apis"), pat).array().getJsonObject(0).getString("id");
            String token = gh.ordersReadToken(keys);
            awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
            for (int i = 0; i < 3; i++) {
                assertThat(http.get(gh.gateway(Environment.PRODUCTION, ORDERS + "/" + i), token).status())
                        .isEqualTo(200);
            }
            assertThat(http.get(gh.gateway(Environment.PRODUCTION, ORDERS), null).status()).isEqualTo(401);

            String byApi = gh.api("/orgs/acme/analytics/apis?apiId=" + ordersApiId + "&environment=production");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject orders = onlySeries(gh.ok(http.get(byApi, pat)));
                assertThat(requests(orders)).isEqualTo(5);
                assertThat(errors(orders, "4xx")).isEqualTo(1);
            });
            JsonObject orders = onlySeries(gh.ok(http.get(byApi, pat)));
            assertThat(orders.getString("apiId")).isEqualTo(ordersApiId);
            assertThat(orders.getString("name")).isEqualTo("Orders v1");
            JsonObject minute = orders.getJsonArray("minutes").getJsonObject(0);
            assertThat(Instant.parse(minute.getString("minute")).truncatedTo(ChronoUnit.MINUTES))
                    .isEqualTo(Instant.parse(minute.getString("minute")));
            assertThat(minute.getJsonObject("errors").fieldNames()).containsExactly("4xx", "5xx", "cut_off");
            JsonObject latency = minute.getJsonObject("latencyMs");
            assertThat(latency.getDouble("p50")).isPositive();
            assertThat(latency.getDouble("p95")).isGreaterThanOrEqualTo(latency.getDouble("p50"));
            assertThat(latency.getDouble("p99")).isGreaterThanOrEqualTo(latency.getDouble("p95"));

            JsonObject byResource = gh.ok(http.get(byApi + "&groupBy=resource", pat));
            assertThat(byResource.getString("groupBy")).isEqualTo("resource");
            List<JsonObject> resources = byResource.getJsonArray("series").stream().map(JsonObject.class::cast).toList();
            assertThat(resources).extracting(s -> s.getString("resource"), s -> s.getString("name"), AnalyticsTest::requests)
                    .containsExactly(tuple("GET /orders", "Orders v1 GET /orders", 2L),
                            tuple("GET /orders/{id}", "Orders v1 GET /orders/{id}", 3L));
            assertThat(resources).allSatisfy(s -> assertThat(s.getString("apiId")).isEqualTo(ordersApiId));
            assertThat(errors(resources.get(0), "4xx")).isEqualTo(1);
            assertThat(http.get(byApi + "&groupBy=application", pat).status()).isEqualTo(400);

            JsonObject mine = onlySeries(gh.ok(http.get(gh.api("/orgs/acme/analytics/applications"), alice)));
            assertThat(mine.getString("applicationId")).isEqualTo(appId);
            assertThat(mine.getString("name")).isEqualTo("charted app");
            assertThat(requests(mine)).isEqualTo(4);
            assertThat(gh.ok(http.get(gh.api("/orgs/acme/analytics/applications?applicationId=" + appId), ada))
                    .getJsonArray("series")).hasSize(1);
            assertThat(gh.ok(http.get(gh.api("/orgs/acme/analytics/applications"), pat)).getJsonArray("series"))
                    .isEmpty();
            assertThat(gh.ok(http.get(gh.api("/orgs/acme/analytics/apis?environment=development"), pat))
                    .getJsonArray("series")).isEmpty();

            Http.Response subscriberByApi = http.get(gh.api("/orgs/acme/analytics/apis"), alice);
            assertThat(subscriberByApi.status()).isEqualTo(403);
            assertThat(subscriberByApi.json().getString("detail"))
                    .isEqualTo("this operation needs the role publisher in organization 'acme'");
            Http.Response othersApplication = http.get(gh.api("/orgs/acme/analytics/applications?applicationId="
                    + appId), pat);
            assertThat(othersApplication.status()).isEqualTo(404);
            assertThat(othersApplication.json().getString("detail")).isEqualTo("no application '" + appId + "'");
            assertThat(http.get(gh.api("/orgs/acme/analytics/apis"), null).status()).isEqualTo(401);
        }
    }

    @Test
    void badTimeRanges_areRefusedNamingTheField() {
        try (TestGatehouse gh = TestGatehouse.start()) {
            String pat = gh.loginDemo(DemoData.PUBLISHER);
            String base = gh.api("/orgs/acme/analytics/apis?");

            assertField(gh.http.get(base + "from=yesterday", pat), "from",
                    "from must be an ISO-8601 instant such as 2026-11-28T15:00:00Z");
            assertField(gh.http.get(base + "from=2026-11-28T16:00:00Z&to=2026-11-28T15:00:00Z", pat), "from",
                    "from must be before to");
            assertField(gh.http.get(base + "from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z", pat), "to",
                    "to must be at most 31 days after from");
            assertThat(gh.http.get(base + "environment=staging", pat).status()).isEqualTo(400);
            assertThat(gh.ok(gh.http.get(base + "from=" + URLEncoder.encode("2026-11-28T15:00:00Z",
                    StandardCharsets.UTF_8) + "&to=2026-11-28T16:00:00Z", pat)).getString("from"))
                    .isEqualTo("2026-11-28T15:00:00Z");
        }
    }

    @Test
    void analyticsIntake_takesOnlyTheGatewayToken_andWellFormedBatches_andStoresABatchSentTwiceOnce() {
        try (TestGatehouse gh = TestGatehouse.startControlPlane(GATEWAY_TOKEN);
             TestGatehouse closed = TestGatehouse.start()) {
            String intake = gh.url("/internal/gateways/production/analytics");
            String orgs = gh.api("/orgs/acme/apis");
            String pat = gh.loginDemo(DemoData.PUBLISHER);
            String apiId = gh.http.get(orgs, pat).array().getJsonObject(0).getString("id");
            JsonArray buckets = new JsonArray();
            for (int i = 0; i < LatencyBuckets.COUNT; i++) {
                buckets.add(i == 4 ? 2 : 0);
            }
            JsonObject batch = new JsonObject().put("batchId", "batch-1").put("gatewayId", "gw-x")
                    .put("environment", "PRODUCTION").put("minutes", new JsonArray().add(new JsonObject()
                            .put("minute", "2026-11-28T15:00:00Z").put("orgHandle", "acme").put("apiId", apiId)
                            .put("resource", "GET /orders").put("applicationId", "").put("statusClass", "2xx")
                            .put("requests", 2).put("latencyMicros", 1_800).put("latencyBuckets", buckets)));

            assertThat(gh.http.post(intake, null, batch).status()).isEqualTo(401);
            assertThat(gh.http.post(intake, "not-the-gateway-token-at-all-0123456789", batch).status()).isEqualTo(401);
            Http.Response notABatch = gh.http.post(intake, GATEWAY_TOKEN, new JsonObject().put("batchId", "b"));
            assertThat(notABatch.status()).isEqualTo(400);
            assertThat(notABatch.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("body");
            Http.Response otherEnvironment = gh.http.post(gh.url("/internal/gateways/development/analytics"),
                    GATEWAY_TOKEN, batch);
            assertThat(otherEnvironment.status()).isEqualTo(400);
            assertThat(otherEnvironment.json().getString("detail")).isEqualTo("environment: a batch of the production "
                    + "environment cannot be sent for development");
            assertThat(gh.http.post(gh.url("/internal/gateways/staging/analytics"), GATEWAY_TOKEN, batch).status())
                    .isEqualTo(404);
            assertThat(closed.http.post(closed.url("/internal/gateways/production/analytics"), GATEWAY_TOKEN, batch)
                    .status()).isEqualTo(404);

            assertThat(gh.http.post(intake, GATEWAY_TOKEN, batch).status()).isEqualTo(204);
            assertThat(gh.http.post(intake, GATEWAY_TOKEN, batch).status()).isEqualTo(204);

            JsonObject stored = onlySeries(gh.ok(gh.http.get(gh.api("/orgs/acme/analytics/apis?"
                    + "from=2026-11-28T15:00:00Z&to=2026-11-28T15:01:00Z"), pat)));
            assertThat(requests(stored)).isEqualTo(2);
            assertThat(stored.getJsonArray("minutes").getJsonObject(0).getJsonObject("latencyMs").getDouble("p50"))
                    .isEqualTo(0.875);
        }
    }

    private static void assertField(Http.Response response, String field, String message) {
        assertThat(response.status()).as("%s", response).isEqualTo(400);
        JsonObject error = response.json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("field")).isEqualTo(field);
        assertThat(error.getString("message")).isEqualTo(message);
    }

    @Test
    void callsMadeWhileTheControlPlaneIsAway_areDeliveredWhenItIsBack(@TempDir Path dataDir) {
        StoreConfig store = StoreConfig.embedded(dataDir.resolve("db"));
        int port = ChildProcess.freePort();
        TestGatehouse controlPlane = TestGatehouse.startControlPlane(store, GATEWAY_TOKEN, port);
        ChildProcess gatewayProcess = null;
        try {
            int gatewayPort = ChildProcess.freePort();
            int statusPort = ChildProcess.freePort();
            gatewayProcess = ChildProcess.start("analytics-gateway", List.of("--role", "gateway",
                    "--environment", "production", "--bind", "127.0.0.1",
                    "--production-port", Integer.toString(gatewayPort), "--status-port", Integer.toString(statusPort),
                    "--control-plane-url", controlPlane.url(""), "--gateway-token", GATEWAY_TOKEN,
                    "--gateway-id", "analytics-gateway", "--data-dir", dataDir.resolve("gateway").toString(),
                    "--analytics-interval", "PT0.2S"));
            ChildProcess process = gatewayProcess;
            String orders = "http://127.0.0.1:" + gatewayPort + ORDERS;
            String metrics = "http://127.0.0.1:" + statusPort + "/metrics";
            Http http = controlPlane.http;
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(process.alive()).as("the gateway runs; its output:%n%s", process.output()).isTrue();
                assertThat(http.tryGet("http://127.0.0.1:" + statusPort + "/ready")).isEqualTo(200);
            });
            String alice = controlPlane.loginDemo(DemoData.SUBSCRIBER);
            TestGatehouse.Keys keys = controlPlane.demoApplication(alice, "offline app", "production", true);
            String token = controlPlane.ordersReadToken(keys);
            awaitStatus(200, () -> http.get(orders, token));

            controlPlane.close();
            controlPlane = null;
            // The gateway still decides, but the demo backend was in the control plane's process: 502.
            for (int i = 0; i < 5; i++) {
                assertThat(http.get(orders, token).status()).isEqualTo(502);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(http.get(metrics, null)
                    .body()).containsPattern("gatehouse_gateway_analytics_buffered\\{environment=\"production\"} [1-9]"));

            TestGatehouse back = TestGatehouse.startControlPlane(store, GATEWAY_TOKEN, port);
            controlPlane = back;
            String aliceAgain = back.loginDemo(DemoData.SUBSCRIBER);
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                JsonObject offline = onlySeries(back.ok(http.get(back.api("/orgs/acme/analytics/applications"),
                        aliceAgain)));
                assertThat(requests(offline)).isEqualTo(6);
                assertThat(errors(offline, "5xx")).isEqualTo(5);
            });
            assertThat(http.get(metrics, null).body())
                    .contains("gatehouse_gateway_analytics_dropped_total{environment=\"production\"} 0.0")
                    .contains("gatehouse_gateway_analytics_buffered{environment=\"production\"} 0.0");
        } finally {
            if (gatewayProcess != null) {
                gatewayProcess.close();
            }
            if (controlPlane != null) {
                controlPlane.close();
            }
        }
    }
}
