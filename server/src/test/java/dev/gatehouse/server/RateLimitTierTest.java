package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitRefusal;
import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rate-limit tiers through the management API and the gateway: the built-in tiers, an organization's own tier,
 * a subscription on it, and the calls beyond it refused with 429.
 */
class RateLimitTierTest {

    private static TestGatehouse gh;
    private static String ada;
    private static String alice;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        ada = gh.loginDemo(DemoData.ADMIN);
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    private static JsonObject tier(String name, long requests, long windowSeconds) {
        return new JsonObject().put("name", name).put("requests", requests).put("windowSeconds", windowSeconds);
    }

    @Test
    void everyOrganization_hasTheBuiltInTiers_andAdminsAddTheirOwn() {
        gh.created(gh.http.post(gh.api("/orgs/acme/tiers"), ada, tier("Partner", 300, 60).put("burst", 500)));

        JsonArray tiers = gh.http.get(gh.api("/orgs/acme/tiers"), alice).array();

        assertThat(tiers.stream().map(t -> ((JsonObject) t).getString("name")).toList())
                .containsSequence("Unlimited", "Gold", "Silver", "Bronze").contains("Partner");
        assertThat(tiers.getJsonObject(1)).isEqualTo(new JsonObject().put("name", "Gold").put("requests", 5000)
                .put("windowSeconds", 60).put("burst", 5000).put("builtIn", true));
    }

    @Test
    void tiersThatCannotBe_areRefusedNamingTheField() {
        Http.Response builtInName = gh.http.post(gh.api("/orgs/acme/tiers"), ada, tier("Gold", 1, 60));
        assertThat(builtInName.status()).isEqualTo(409);
        assertThat(gh.http.post(gh.api("/orgs/acme/tiers"), ada, tier("Twice", 1, 60)).status()).isEqualTo(201);
        assertThat(gh.http.post(gh.api("/orgs/acme/tiers"), ada, tier("Twice", 2, 60)).status()).isEqualTo(409);

        Http.Response burstBelowRate = gh.http.post(gh.api("/orgs/acme/tiers"), ada,
                tier("Odd", 10, 60).put("burst", 5));
        assertThat(burstBelowRate.status()).isEqualTo(400);
        assertThat(burstBelowRate.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("burst");

        assertThat(gh.http.post(gh.api("/orgs/acme/tiers"), alice, tier("Mine", 1, 60)).status()).isEqualTo(403);
    }

    @Test
    void subscriptionOnAnUnknownTier_isRefusedNamingTheField() {
        JsonObject app = gh.created(gh.http.post(gh.api("/orgs/acme/applications"), alice,
                new JsonObject().put("name", "Tierless")));
        String ordersApiId = gh.http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");

        Http.Response response = gh.http.post(gh.api("/orgs/acme/applications/" + app.getString("id")
                + "/subscriptions"), alice, new JsonObject().put("apiId", ordersApiId).put("tier", "Platinum"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("tier");
    }

    @Test
    void callsBeyondTheSubscriptionsTier_areRefusedWith429AndRetryAfter() {
        gh.created(gh.http.post(gh.api("/orgs/acme/tiers"), ada, tier("Trial", 2, 3600)));
        TestGatehouse.Keys keys = gh.demoApplication(alice, "trial app", "production", false);
        String ordersApiId = gh.http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");
        gh.created(gh.http.post(keys.appUrl() + "/subscriptions", alice,
                new JsonObject().put("apiId", ordersApiId).put("tier", "Trial")));
        String token = gh.ordersReadToken(keys);
        String orders = gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders");

        Http.Response first = awaitStatus(200, () -> gh.http.get(orders, token));
        assertThat(first.header("RateLimit-Policy")).isEqualTo("\"Trial\";q=2;w=3600");
        assertThat(gh.http.get(orders, token).status()).isEqualTo(200);
        Http.Response refused = awaitRefusal(429, "rate_limit", () -> gh.http.get(orders, token));
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(3500L, 3600L);
        assertThat(refused.header("RateLimit")).startsWith("\"Trial\";r=0;t=");
    }

    @Test
    void anApplicationsTier_limitsAllItsCalls_andAnApisTier_limitsAllCallersTogether() {
        gh.created(gh.http.post(gh.api("/orgs/acme/tiers"), ada, tier("One", 1, 3600)));
        TestGatehouse.Keys keys = gh.demoApplication(alice, "one-call app", "production", true);
        String appTier = keys.appUrl() + "/tier";
        assertThat(gh.http.get(appTier, alice).json().getString("tier")).isEqualTo("Unlimited");
        assertThat(gh.ok(gh.http.put(appTier, alice, new JsonObject().put("tier", "One"))).getString("tier"))
                .isEqualTo("One");
        String orders = gh.gateway(Environment.PRODUCTION, "/acme/orders/v1/orders");
        String token = gh.ordersReadToken(keys);

        awaitStatus(200, () -> gh.http.get(orders, token));
        Http.Response refused = gh.http.get(orders, token);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().getString("detail")).contains("has spent its One allowance over all APIs");

        String pat = gh.loginDemo(DemoData.PUBLISHER);
        JsonObject api = gh.publishedApi(pat, "Scarce", "/scarce", new JsonArray().add(TestGatehouse.permission("read")),
                new JsonArray().add(TestGatehouse.resource("GET", "/things", "read")));
        String apiTier = gh.api("/orgs/acme/apis/" + api.getString("id") + "/tier");
        assertThat(gh.http.put(apiTier, alice, new JsonObject().put("tier", "One")).status()).isEqualTo(403);
        gh.ok(gh.http.put(apiTier, pat, new JsonObject().put("tier", "One")));
        String scarce = gh.gateway(Environment.PRODUCTION, "/acme/scarce/v1/things");
        String[] tokens = new String[2];
        for (int i = 0; i < 2; i++) {
            TestGatehouse.Keys caller = gh.demoApplication(alice, "scarce caller " + i, "production", false);
            gh.created(gh.http.post(caller.appUrl() + "/subscriptions", alice,
                    new JsonObject().put("apiId", api.getString("id"))));
            tokens[i] = gh.http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials",
                    "scope", "urn:acme:scarce:read"), caller.clientId(), caller.secret()).json().getString("access_token");
        }

        awaitStatus(200, () -> gh.http.get(scarce, tokens[0]));
        Http.Response other = gh.http.get(scarce, tokens[1]);
        assertThat(other.status()).isEqualTo(429);
        assertThat(other.json().getString("detail")).contains("has spent its One allowance over all applications");
        assertThat(gh.http.put(apiTier, pat, new JsonObject().put("tier", "Platinum")).status()).isEqualTo(400);
    }

    @Test
    void aResourcesTier_limitsAllCallsToThatResource_andNoOther() {
        gh.created(gh.http.post(gh.api("/orgs/acme/tiers"), ada, tier("Once", 1, 3600)));
        String pat = gh.loginDemo(DemoData.PUBLISHER);
        JsonObject api = gh.publishedApi(pat, "Guarded", "/guarded", new JsonArray(), new JsonArray()
                .add(TestGatehouse.resource("GET", "/reports/{id}")).add(TestGatehouse.resource("GET", "/status")));
        String apiUrl = gh.api("/orgs/acme/apis/" + api.getString("id"));
        String reports = gh.http.get(apiUrl, pat).json().getJsonArray("resources").stream()
                .map(JsonObject.class::cast).filter(resource -> resource.getString("path").equals("/reports/{id}"))
                .findFirst().orElseThrow().getString("id");
        String reportsTier = apiUrl + "/resources/" + reports + "/tier";
        assertThat(gh.http.get(reportsTier, pat).json().getString("tier")).isEqualTo("Unlimited");
        assertThat(gh.http.put(reportsTier, alice, new JsonObject().put("tier", "Once")).status()).isEqualTo(403);
        Http.Response unknownTier = gh.http.put(reportsTier, pat, new JsonObject().put("tier", "Platinum"));
        assertThat(unknownTier.status()).isEqualTo(400);
        assertThat(unknownTier.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("tier");
        assertThat(gh.http.put(apiUrl + "/resources/no-such-resource/tier", pat, new JsonObject().put("tier", "Once"))
                .status()).isEqualTo(404);
        gh.ok(gh.http.put(reportsTier, pat, new JsonObject().put("tier", "Once")));

        TestGatehouse.Keys keys = gh.demoApplication(alice, "report reader", "production", false);
        gh.created(gh.http.post(keys.appUrl() + "/subscriptions", alice, new JsonObject().put("apiId", api.getString("id"))));
        String token = gh.http.form(gh.tokenEndpoint("acme"), Map.of("grant_type", "client_credentials"),
                keys.clientId(), keys.secret()).json().getString("access_token");
        String guarded = gh.gateway(Environment.PRODUCTION, "/acme/guarded/v1");

        awaitStatus(200, () -> gh.http.get(guarded + "/reports/1", token));
        Http.Response second = gh.http.get(guarded + "/reports/2", token);
        assertThat(second.status()).isEqualTo(429);
        assertThat(second.json().getString("detail"))
                .contains("GET /reports/{id} of API 'Guarded' v1 has spent its Once allowance over all applications");
        assertThat(gh.http.get(guarded + "/status", token).status()).isEqualTo(200);
    }
}
