package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token revoked at the built-in identity provider, and a subscription blocked by its publisher, are refused by
 * every gateway of a fleet within a second: a control plane (role control-plane) and three production gateways,
 * each a process of its own (role gateway) fed over the gateway feed.
 */
class RevocationPropagationTest {

    private static final String GATEWAY_TOKEN = "gateway-token-of-the-revocation-test-7";
    private static final String ORDERS = "/acme/orders/v1/orders";

    @TempDir
    Path state;
    private final List<ChildProcess> processes = new ArrayList<>();
    private TestGatehouse controlPlane;

    private record GatewayChild(ChildProcess process, int port, int statusPort) {

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        String status(String path) {
            return "http://127.0.0.1:" + statusPort + path;
        }
    }

    @AfterEach
    void stop() {
        processes.forEach(ChildProcess::close);
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    private List<GatewayChild> startGateways(int count) {
        List<GatewayChild> gateways = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            int port = ChildProcess.freePort();
            int statusPort = ChildProcess.freePort();
            String name = "revocation-gateway-" + i;
            ChildProcess process = ChildProcess.start(name, List.of("--role", "gateway",
                    "--environment", "production", "--bind", "127.0.0.1",
                    "--production-port", Integer.toString(port), "--status-port", Integer.toString(statusPort),
                    "--control-plane-url", controlPlane.url(""), "--gateway-token", GATEWAY_TOKEN,
                    "--gateway-id", name, "--data-dir", state.resolve(name).toString()));
            processes.add(process);
            gateways.add(new GatewayChild(process, port, statusPort));
        }
        for (GatewayChild gateway : gateways) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(gateway.process().alive()).as("%s runs; its output:%n%s", gateway.process(),
                        gateway.process().output()).isTrue();
                assertThat(controlPlane.http.tryGet(gateway.status("/ready"))).isEqualTo(200);
            });
        }
        return gateways;
    }

    /** Waits at most one second until every gateway answers the call with {@code status} (and {@code check}). */
    private void withinOneSecond(List<GatewayChild> gateways, String token, int status, String check) {
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            for (GatewayChild gateway : gateways) {
                Http.Response call = controlPlane.http.get(gateway.url(ORDERS), token);
                assertThat(call.status()).as("%s: %s", gateway.process(), call).isEqualTo(status);
                if (check != null) {
                    assertThat(call.json().getString("check")).as("%s: %s", gateway.process(), call).isEqualTo(check);
                }
            }
        });
    }

    @Test
    void revokedTokenAndBlockedSubscription_areRefusedByEveryGatewayWithinOneSecond() {
        controlPlane = TestGatehouse.startControlPlane(GATEWAY_TOKEN);
        List<GatewayChild> gateways = startGateways(3);
        String alice = controlPlane.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys keys = controlPlane.demoApplication(alice, "fleet app", "production", true);
        String revoked = controlPlane.ordersReadToken(keys);
        String kept = controlPlane.ordersReadToken(keys);
        for (GatewayChild gateway : gateways) {
            awaitStatus(200, () -> controlPlane.http.get(gateway.url(ORDERS), revoked));
        }

        Http.Response revocation = controlPlane.http.form(controlPlane.url("/t/acme/oauth2/revoke"),
                Map.of("token", revoked), keys.clientId(), keys.secret());
        assertThat(revocation.status()).isEqualTo(200);

        withinOneSecond(gateways, revoked, 401, "revoked");
        Http.Response refused = controlPlane.http.get(gateways.get(0).url(ORDERS), revoked);
        assertThat(refused.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse\", error=\"invalid_token\", "
                + "error_description=\"the token has been revoked\"");
        withinOneSecond(gateways, kept, 200, null);
        for (GatewayChild gateway : gateways) {
            assertThat(controlPlane.http.get(gateway.status("/metrics"), null).body()).containsPattern(
                    "gatehouse_gateway_refusals_total\\{check=\"revoked\",environment=\"production\","
                            + "reason=\"invalid_token\"} [1-9]");
        }

        String subscription = keys.appUrl() + "/subscriptions/" + controlPlane.http.get(keys.appUrl()
                + "/subscriptions", alice).array().getJsonObject(0).getString("id");
        controlPlane.ok(controlPlane.http.patch(subscription, controlPlane.loginDemo(DemoData.PUBLISHER),
                new JsonObject().put("status", "blocked")));

        withinOneSecond(gateways, kept, 403, "subscription");
    }
}
