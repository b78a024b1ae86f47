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
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gatehouse scaled out as real processes: two control planes (role control-plane) on one PostgreSQL, and three
 * production gateways (role gateway) fed by them, two by the first control plane and one by the second. Tokens
 * come from an independent OpenID provider and calls go to a backend in this JVM, so that both stay up while
 * Gatehouse's processes are killed.
 */
class ScaleOutTest {

    private static final String GATEWAY_TOKEN = "gateway-token-of-the-scale-out-test-42";
    private static final String ISSUER_ID = "accounts";
    private static final String CLIENT_ID = "fleet-client";

    @TempDir
    Path state;
    private final List<ChildProcess> processes = new ArrayList<>();
    private final Http http = new Http();
    private MockOAuth2Server provider;
    private Vertx vertx;
    private String backendUrl;

    @AfterEach
    void stop() {
        processes.forEach(ChildProcess::close);
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
                "--gateway-token", GATEWAY_TOKEN, "--admin-password", TestGatehouse.ADMIN_PASSWORD));
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
                "--data-dir", dataDir.toString(), "--jwks-refresh-interval", "PT0.1S")));
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

    private String providerToken() {
        return provider.issueToken(ISSUER_ID, CLIENT_ID, new DefaultOAuth2TokenCallback(ISSUER_ID, "svc", "JWT",
                List.of("fleet"), Map.of("scope", "urn:acme:fleet:read"), 600)).serialize();
    }

    @Test
    void twoControlPlanesAndThreeGateways_shareOneDatabase_andGatewaysOutliveTheControlPlanes() throws Exception {
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
        String token = providerToken();
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
