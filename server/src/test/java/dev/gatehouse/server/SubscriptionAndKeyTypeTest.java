package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitRefusal;
import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keys generated in the built-in identity provider for the demo's Orders API: what each key type reaches, and
 * how subscriptions gate calls, including changes that must take effect without a restart.
 */
class SubscriptionAndKeyTypeTest {

    private static final String ORDERS = "/acme/orders/v1/orders";

    private static TestGatehouse gh;
    private static Http http;
    private static String alice;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        http = gh.http;
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    @Test
    void sandboxKeys_reachDevelopmentButNotProduction() {
        String token = gh.ordersReadToken(gh.demoApplication(alice, "sandbox app", "sandbox", true));
        awaitStatus(200, () -> http.get(gh.gateway(Environment.DEVELOPMENT, ORDERS), token));
        awaitRefusal(403, "key_type", () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
    }

    @Test
    void productionKeys_reachProductionButNotDevelopment() {
        String token = gh.ordersReadToken(gh.demoApplication(alice, "production app", "production", true));
        Http.Response ok = awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
        assertThat(ok.json().getJsonArray("orders")).hasSize(2);
        awaitRefusal(403, "key_type", () -> http.get(gh.gateway(Environment.DEVELOPMENT, ORDERS), token));
    }

    @Test
    void unsubscribedApplication_isRefusedWith403() {
        TestGatehouse.Keys keys = gh.demoApplication(alice, "unsubscribed app", "production", false);
        Http.Response token = http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials"),
                keys.clientId(), keys.secret());
        String accessToken = token.json().getString("access_token");
        awaitRefusal(403, "subscription", () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), accessToken));
    }

    @Test
    void removedSubscription_isEnforcedWithinASecondWithoutRestart() {
        TestGatehouse.Keys keys = gh.demoApplication(alice, "revoked app", "production", true);
        String token = gh.ordersReadToken(keys);
        awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
        String subscriptionId = http.get(keys.appUrl() + "/subscriptions", alice).array().getJsonObject(0).getString("id");
        assertThat(http.delete(keys.appUrl() + "/subscriptions/" + subscriptionId, alice).status()).isEqualTo(204);
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                .until(() -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token).status() == 403);
    }

    @Test
    void deletedApplication_isRefusedWithinASecondWithoutRestart() {
        TestGatehouse.Keys keys = gh.demoApplication(alice, "deleted app", "production", true);
        String token = gh.ordersReadToken(keys);
        awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));

        assertThat(http.delete(keys.appUrl(), alice).status()).isEqualTo(204);

        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> {
            Http.Response call = http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token);
            assertThat(call.status()).isEqualTo(403);
            assertThat(call.json().getString("check")).isEqualTo("application");
        });
    }

    @Test
    void subscriptionBlockedByThePublisher_isRefusedAndReactivatedWithoutRestart() {
        TestGatehouse.Keys keys = gh.demoApplication(alice, "blocked app", "production", true);
        String token = gh.ordersReadToken(keys);
        awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
        String subscription = keys.appUrl() + "/subscriptions/"
                + http.get(keys.appUrl() + "/subscriptions", alice).array().getJsonObject(0).getString("id");
        String pat = gh.loginDemo(DemoData.PUBLISHER);
        assertThat(http.patch(subscription, alice, new JsonObject().put("status", "blocked")).status()).isEqualTo(403);
        gh.ok(http.patch(subscription, pat, new JsonObject().put("status", "blocked")));
        awaitRefusal(403, "subscription", () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
        gh.ok(http.patch(subscription, pat, new JsonObject().put("status", "active")));
        awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
    }

    @Test
    void generatedKeys_areAuthorizedForTheSubscribedApisScopesOnly() {
        TestGatehouse.Keys keys = gh.demoApplication(alice, "scoped app", "production", true);
        Http.Response token = http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials",
                "scope", "urn:acme:orders:read urn:acme:orders:write"), keys.clientId(), keys.secret());
        assertThat(token.json().getString("scope")).isEqualTo("urn:acme:orders:read urn:acme:orders:write");
    }

    @Test
    void callWithoutToken_isRefusedWith401AndBearerChallenge() {
        Http.Response call = http.get(gh.gateway(Environment.PRODUCTION, ORDERS), null);
        assertThat(call.status()).isEqualTo(401);
        assertThat(call.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void unknownPath_isRefusedWith404() {
        Http.Response call = http.get(gh.gateway(Environment.PRODUCTION, "/acme/nothing/v1/here"), null);
        assertThat(call.status()).isEqualTo(404);
        assertThat(call.header("Content-Type")).isEqualTo("application/problem+json");
    }
}
