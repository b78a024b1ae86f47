package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitRefusal;
import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.StoreConfig;
import dev.gatehouse.store.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * Gatehouse scaled out as real processes: two control planes (role control-plane) on one PostgreSQL, and three
 * production gateways (role gateway) fed by them, two by the first control plane and one by the second, sharing
 * rate-limit counts in one Redis (binaries from the embedded-redis jar). Tokens
 * come from an independent OpenID provider and calls go to a backend in this JVM, so that both stay up while
 * Gatehouse's processes are killed.
 */
class ScaleOutTest {

    /** Shared by both control planes, as replicas share it. */
    private static final String MASTER_KEY = "q83vEjRWeJASNFZ4kBI0VniQEjRWeJASNFZ4kBI0Vng=";
    private static final String GATEWAY_TOKEN = "gateway-token-of-the-scale-out-test-42";
    private static final String ISSUER_ID = "accounts";
    private static final String CLIENT_ID = "fleet-client";

    @TempDir
    Path state;
    private final List<ChildProcess> processes = new ArrayList<>();
    private final Http http = new Http();
    private MockOAuth2Server provider;
    private RedisServer redis;
    private Vertx vertx;
    private String backendUrl;
    private int redisPort;

    @AfterEach
    void stop() throws IOException {
        processes.forEach(ChildProcess::close);
        if (redis != null && redis.isActive()) {
            redis.stop();
        }
        if (provider != null) {
            provider.shutdown();
        }
        if (vertx != null) {
            vertx.close().await();
        }
    }

    private record ControlPlaneProcess(ChildProcess process, String url) {
    }

    private record GatewayChild(ChildProcess process, int port, int statusPort, Path dataDir) {

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        String ready() {
            return "http://127.0.0.1:" + statusPort + "/ready";
        }
    }

    private ControlPlaneProcess controlPlane(String name, StoreConfig db, boolean demo) {
        int port = ChildProcess.freePort();
        List<String> args = new ArrayList<>(List.of("--role", "control-plane", "--bind", "127.0.0.1",
                "--port", Integer.toString(port), "--public-url", "http://127.0.0.1:" + port,
                "--db-url", db.jdbcUrl(), "--db-user", db.username(), "--db-password", db.password(),
                "--gateway-token", GATEWAY_TOKEN, "--admin-password", TestGatehouse.ADMIN_PASSWORD,
                "--master-key", MASTER_KEY));
        if (demo) {
            args.add("--demo");
        }
        ChildProcess process = started(ChildProcess.start(name, args));
        ControlPlaneProcess controlPlane = new ControlPlaneProcess(process, "http://127.0.0.1:" + port);
        awaitUp(process, controlPlane.url() + "/health");
        return controlPlane;
    }

    private GatewayChild gateway(String name, String controlPlaneUrl, Path dataDir) {
        int port = ChildProcess.freePort();
        int statusPort = ChildProcess.freePort();
        ChildProcess process = started(ChildProcess.start(name, List.of("--role", "gateway",
                "--environment", "production", "--bind", "127.0.0.1",
                "--production-port", Integer.toString(port), "--status-port", Integer.toString(statusPort),
                "--control-plane-url", controlPlaneUrl, "--gateway-token", GATEWAY_TOKEN, "--gateway-id", name,
                "--data-dir", dataDir.toString(), "--jwks-refresh-interval", "PT0.1S",
                "--redis-url", "redis://127.0.0.1:" + redisPort)));
        GatewayChild gateway = new GatewayChild(process, port, statusPort, dataDir);
        awaitUp(process, gateway.ready());
        return gateway;
    }

    private ChildProcess started(ChildProcess process) {
        processes.add(process);
        return process;
    }

    private void awaitUp(ChildProcess process, String url) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(process.alive()).as("%s is running; its output:%n%s", process, process.output()).isTrue();
            assertThat(http.tryGet(url)).as("%s answers %s", process, url).isEqualTo(200);
        });
    }

    private String providerToken(String clientId) {
        return provider.issueToken(ISSUER_ID, clientId, new DefaultOAuth2TokenCallback(ISSUER_ID, "svc", "JWT",
                List.of("fleet"), Map.of("scope", "urn:acme:fleet:read"), 600)).serialize();
    }

    /** Sends {@code calls} calls spread over the gateways from several threads; counts the answers by status. */
    private Map<Integer, Long> load(List<GatewayChild> gateways, String token, int calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                GatewayChild gateway = gateways.get(i % gateways.size());
                answers.add(threads.submit(() -> http.get(gateway.url("/acme/fleet/v1/orders"), token).status()));
            }
            Map<Integer, Long> byStatus = new TreeMap<>();
            for (Future<Integer> answer : answers) {
                byStatus.merge(answer.get(), 1L, Long::sum);
            }
            return byStatus;
        } finally {
            threads.shutdownNow();
        }
    }

    private String metrics(GatewayChild gateway) {
        return http.get("http://127.0.0.1:" + gateway.statusPort() + "/metrics", null).body();
    }

    private String rateLimits(GatewayChild gateway) {
        return new JsonObject(http.get(gateway.ready(), null).body()).getString("rateLimits");
    }

    @Test
    void twoControlPlanesAndThreeGateways_shareOneDatabaseAndOneRedis_andGatewaysOutliveTheControlPlanes()
            throws Exception {
        redisPort = ChildProcess.freePort();
        redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").build();
        redis.start();
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        vertx = Vertx.vertx();
        Router backend = Router.router(vertx);
        DemoBackend.mount(backend);
        HttpServer backendServer = vertx.createHttpServer().requestHandler(backend).listen(0, "127.0.0.1").await();
        backendUrl = "http://127.0.0.1:" + backendServer.actualPort() + DemoBackend.PATH;

        StoreConfig db = TestStores.postgresConfig();
        ControlPlaneProcess first = controlPlane("control-plane-1", db, true);
        ControlPlaneProcess second = controlPlane("control-plane-2", db, false);
        List<GatewayChild> gateways = List.of(
                gateway("gateway-1", first.url(), state.resolve("gateway-1")),
                gateway("gateway-2", first.url(), state.resolve("gateway-2")),
                gateway("gateway-3", second.url(), state.resolve("gateway-3")));

        // Everything below goes through the second control plane; the first seeded the demo.
        TestGatehouse cp = TestGatehouse.remote(second.url());
        String ada = cp.loginDemo(DemoData.ADMIN);
        String pat = cp.loginDemo(DemoData.PUBLISHER);
        String alice = cp.loginDemo(DemoData.SUBSCRIBER);
        JsonObject idp = cp.created(cp.http.post(cp.api("/orgs/acme/identity-providers"), ada, new JsonObject()
                .put("name", "Accounts").put("issuer", provider.issuerUrl(ISSUER_ID).toString())
                .put("jwksUri", provider.jwksUrl(ISSUER_ID).toString())));
        JsonObject api = cp.publishedApi(pat, "Fleet", "/fleet",
                new JsonArray().add(TestGatehouse.permission("read")),
                new JsonArray().add(TestGatehouse.resource("GET", "/orders", "read")), backendUrl);
        JsonObject app = cp.created(cp.http.post(cp.api("/orgs/acme/applications"), alice,
                new JsonObject().put("name", "Fleet app")));
        String appUrl = cp.api("/orgs/acme/applications/" + app.getString("id"));
        cp.created(cp.http.post(appUrl + "/credentials", alice, new JsonObject().put("keyType", "production")
                .put("identityProvider", idp.getString("id")).put("clientId", CLIENT_ID)));
        String token = providerToken(CLIENT_ID);
        for (GatewayChild gateway : gateways) {
            awaitRefusal(403, "subscription", () -> http.get(gateway.url("/acme/fleet/v1/orders"), token));
        }

        cp.created(cp.http.post(appUrl + "/subscriptions", alice, new JsonObject().put("apiId", api.getString("id"))));
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (GatewayChild gateway : gateways) {
                assertThat(http.get(gateway.url("/acme/fleet/v1/orders"), token).status()).as("%s", gateway.process())
                        .isEqualTo(200);
            }
        });

        String operator = TestGatehouse.remote(first.url()).loginOperator();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                http.get(first.url() + "/api/gateways", operator).array().stream()
                        .map(listed -> ((JsonObject) listed).getString("id")).toList())
                .containsExactly("gateway-1", "gateway-2", "gateway-3"));

        // A 100-per-minute tier, counted in Redis by all three gateways together.
        cp.created(cp.http.post(cp.api("/orgs/acme/tiers"), ada, new JsonObject().put("name", "Hundred")
                .put("requests", 100).put("windowSeconds", 60)));
        JsonObject metered = cp.created(cp.http.post(cp.api("/orgs/acme/applications"), alice,
                new JsonObject().put("name", "Metered app")));
        String meteredUrl = cp.api("/orgs/acme/applications/" + metered.getString("id"));
        cp.created(cp.http.post(meteredUrl + "/credentials", alice, new JsonObject().put("keyType", "production")
                .put("identityProvider", idp.getString("id")).put("clientId", "metered-client")));
        cp.created(cp.http.post(meteredUrl + "/subscriptions", alice,
                new JsonObject().put("apiId", api.getString("id")).put("tier", "Hundred")));
        String meteredToken = providerToken("metered-client");
        long[] grantedWhileWaiting = {0};
        for (GatewayChild gateway : gateways) {
            Http.Response first200 = awaitStatus(200, () -> {
                Http.Response call = http.get(gateway.url("/acme/fleet/v1/orders"), meteredToken);
                grantedWhileWaiting[0] += call.status() == 200 ? 1 : 0;
                return call;
            });
            assertThat(first200.header("RateLimit-Policy")).isEqualTo("\"Hundred\";q=100;w=60");
        }
        Map<Integer, Long> shared = load(gateways, meteredToken, 300);
        assertThat(shared.keySet()).containsOnly(200, 429);
        assertThat(shared.get(200) + grantedWhileWaiting[0]).as("calls let through of a 100/min tier: %s", shared)
                .isBetween(95L, 105L);

        // Without Redis each gateway allows its third of the tier, counted locally, and says so.
        redis.stop();
        Map<Integer, Long> local = load(gateways, meteredToken, 300);
        assertThat(local.get(200)).as("calls let through without Redis: %s", local).isBetween(95L, 105L);
        for (GatewayChild gateway : gateways) {
            assertThat(rateLimits(gateway)).isEqualTo("local");
            assertThat(metrics(gateway)).contains("gatehouse_gateway_rate_limits_shared{environment=\"production\"} 0.0")
                    .containsPattern("gatehouse_gateway_rate_limit_local_counts_total\\{environment=\"production\"} [1-9]");
        }
        redis.start();
        for (GatewayChild gateway : gateways) {
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                http.get(gateway.url("/acme/fleet/v1/orders"), meteredToken);
                assertThat(rateLimits(gateway)).isEqualTo("shared");
            });
            assertThat(metrics(gateway)).contains("gatehouse_gateway_rate_limits_shared{environment=\"production\"} 1.0");
        }

        first.process().close();
        second.process().close();
        for (GatewayChild gateway : gateways) {
            assertThat(http.get(gateway.url("/acme/fleet/v1/orders"), token).status()).as("%s without control planes",
                    gateway.process()).isEqualTo(200);
        }

        GatewayChild restarted = gateways.get(0);
        restarted.process().close();
        GatewayChild again = gateway("gateway-1-again", first.url(), restarted.dataDir());
        assertThat(http.get(again.url("/acme/fleet/v1/orders"), token).status()).isEqualTo(200);
    }
}
