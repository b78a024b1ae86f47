package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitRefusal;
import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API keys end to end: a publisher lets the Orders API take them, a subscriber makes keys for an application (shown
 * once), the gateways take them within a second, and refuse them once revoked, for the wrong environment, for an
 * application not subscribed, or when the API stops taking them.
 */
class ApiKeyTest {

    private static final String ORDERS = "/acme/orders/v1/orders";

    private static TestGatehouse gh;
    private static Http http;
    private static String pat;
    private static String alice;
    private static String access;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        http = gh.http;
        pat = gh.loginDemo(DemoData.PUBLISHER);
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
        String ordersApiId = http.get(gh.api("/orgs/acme/apis"), pat).array().getJsonObject(0).getString("id");
        access = gh.api("/orgs/acme/apis/" + ordersApiId + "/api-keys");
        JsonObject enabled = gh.ok(http.put(access, pat, new JsonObject().put("enabled", true)));
        assertThat(enabled).isEqualTo(new JsonObject().put("enabled", true).put("header", "apikey"));
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    private static Http.Response withKey(Environment environment, String key) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(gh.gateway(environment, ORDERS))).header("apikey", key).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Http.Response(response.statusCode(), response.headers(), response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject newKey(String appUrl, String keyType) {
        return gh.created(http.post(appUrl + "/api-keys", alice, new JsonObject().put("keyType", keyType)
                .put("name", keyType + " key")));
    }

    @Test
    void aKey_isShownOnce_takenByTheGatewayOfItsEnvironment_andRefusedOnceRevoked() {
        TestGatehouse.Keys app = gh.demoApplication(alice, "keyed app", "production", true);
        JsonObject production = newKey(app.appUrl(), "production");
        JsonObject sandbox = newKey(app.appUrl(), "sandbox");
        String key = production.getString("key");

        JsonArray listed = http.get(app.appUrl() + "/api-keys", alice).array();
        assertThat(key).startsWith("ghk_");
        assertThat(listed).hasSize(2);
        assertThat(listed.getJsonObject(0).fieldNames()).containsExactlyInAnyOrder("id", "name", "keyType", "prefix",
                "createdAt");
        assertThat(listed.getJsonObject(0).getString("prefix")).isEqualTo(key.substring(0, 10));
        assertThat(listed.encode()).doesNotContain(key);

        assertThat(awaitStatus(200, () -> withKey(Environment.PRODUCTION, key)).json().getJsonArray("orders"))
                .isNotEmpty();
        awaitStatus(200, () -> withKey(Environment.DEVELOPMENT, sandbox.getString("key")));
        Http.Response wrongEnvironment = withKey(Environment.DEVELOPMENT, key);
        assertThat(wrongEnvironment.status()).isEqualTo(403);
        assertThat(wrongEnvironment.json().getString("check")).isEqualTo("key_type");

        assertThat(http.delete(app.appUrl() + "/api-keys/" + production.getString("id"), alice).status())
                .isEqualTo(204);
        Http.Response revoked = awaitRefusal(401, "credential", () -> withKey(Environment.PRODUCTION, key));
        assertThat(revoked.json().getString("type")).isEqualTo("urn:gatehouse:problem:invalid_api_key");
        assertThat(http.delete(app.appUrl() + "/api-keys/" + production.getString("id"), alice).status())
                .isEqualTo(404);
    }

    @Test
    void aKeyOfAnUnsubscribedApplication_isRefused_asIsAnyKeyOnceTheApiStopsTakingThem() {
        TestGatehouse.Keys unsubscribed = gh.demoApplication(alice, "unsubscribed keyed app", "production", false);
        String key = newKey(unsubscribed.appUrl(), "production").getString("key");
        awaitRefusal(403, "subscription", () -> withKey(Environment.PRODUCTION, key));

        TestGatehouse.Keys subscribed = gh.demoApplication(alice, "switched app", "production", true);
        String working = newKey(subscribed.appUrl(), "production").getString("key");
        awaitStatus(200, () -> withKey(Environment.PRODUCTION, working));
        gh.ok(http.put(access, pat, new JsonObject().put("enabled", false)));
        try {
            awaitRefusal(401, "credential", () -> withKey(Environment.PRODUCTION, working));
        } finally {
            gh.ok(http.put(access, pat, new JsonObject().put("enabled", true)));
        }
    }

    @Test
    void onlyPublishersChooseWhetherAnApiTakesKeys_andOnlyOwnersSeeAndMakeAnApplicationsKeys() {
        TestGatehouse.Keys app = gh.demoApplication(alice, "guarded app", "production", false);

        Http.Response bySubscriber = http.put(access, alice, new JsonObject().put("enabled", true));
        Http.Response reserved = http.put(access, pat, new JsonObject().put("enabled", true).put("header", "Cookie"));
        Http.Response othersKeys = http.get(app.appUrl() + "/api-keys", pat);
        Http.Response othersNewKey = http.post(app.appUrl() + "/api-keys", pat,
                new JsonObject().put("keyType", "production"));
        Http.Response badKeyType = http.post(app.appUrl() + "/api-keys", alice,
                new JsonObject().put("keyType", "staging"));

        assertThat(bySubscriber.status()).isEqualTo(403);
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("header");
        assertThat(othersKeys.status()).isEqualTo(404);
        assertThat(othersNewKey.status()).isEqualTo(404);
        assertThat(badKeyType.status()).isEqualTo(400);
        assertThat(badKeyType.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("keyType");
    }
}
