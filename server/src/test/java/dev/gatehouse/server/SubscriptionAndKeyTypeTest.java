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
    private static String ordersApiId;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        http = gh.http;
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
        ordersApiId = http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    private record Keys(String appUrl, String clientId, String secret) {
    }

    private static Keys application(String name, String keyType, boolean subscribe) {
        JsonObject app = gh.created(http.post(gh.api("/orgs/acme/applications"), alice, new JsonObject().put("name", name)));
        String appUrl = gh.api("/orgs/acme/applications/" + app.getString("id"));
        if (subscribe) {
            gh.created(http.post(appUrl + "/subscriptions", alice, new JsonObject().put("apiId", ordersApiId)));
        }
        JsonObject keys = gh.created(http.post(appUrl + "/credentials/generate", alice, new JsonObject()
                .put("keyType", keyType).put("grantTypes", new JsonArray().add("client_credentials"))));
        assertThat(keys.getString("tokenEndpoint")).isEqualTo(gh.tokenEndpoint("acme"));
        return new Keys(appUrl, keys.getString("clientId"), keys.getString("clientSecret"));
    }

    private static String token(Keys keys) {
        Http.Response response = http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials",
                "scope", "urn:acme:orders:read"), keys.clientId(), keys.secret());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().getString("access_token");
    }

    @Test
    void sandboxKeys_reachDevelopmentButNotProduction() {
        String token = token(application("sandbox app", "sandbox", true));
        awaitStatus(200, () -> http.get(gh.gateway(Environment.DEVELOPMENT, ORDERS), token));
        awaitRefusal(403, "key_type", () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
    }

    @Test
    void productionKeys_reachProductionButNotDevelopment() {
        String token = token(application("production app", "production", true));
        Http.Response ok = awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
        assertThat(ok.json().getJsonArray("orders")).hasSize(2);
        awaitRefusal(403, "key_type", () -> http.get(gh.gateway(Environment.DEVELOPMENT, ORDERS), token));
    }

    @Test
    void unsubscribedApplication_isRefusedWith403() {
        Keys keys = application("unsubscribed app", "production", false);
        Http.Response token = http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials"),
                keys.clientId(), keys.secret());
        String accessToken = token.json().getString("access_token");
        awaitRefusal(403, "subscription", () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), accessToken));
    }

    @Test
    void removedSubscription_isEnforcedWithinASecondWithoutRestart() {
        Keys keys = application("revoked app", "production", true);
        String token = token(keys);
        awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token));
        String subscriptionId = http.get(keys.appUrl() + "/subscriptions", alice).array().getJsonObject(0).getString("id");
        assertThat(http.delete(keys.appUrl() + "/subscriptions/" + subscriptionId, alice).status()).isEqualTo(204);
        Awaitility.await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(25))
                .until(() -> http.get(gh.gateway(Environment.PRODUCTION, ORDERS), token).status() == 403);
    }

    @Test
    void subscriptionBlockedByThePublisher_isRefusedAndReactivatedWithoutRestart() {
        Keys keys = application("blocked app", "production", true);
        String token = token(keys);
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
        Keys keys = application("scoped app", "production", true);
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
