package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitRefusal;
import static dev.gatehouse.server.Http.awaitStatus;
import static dev.gatehouse.server.TestGatehouse.permission;
import static dev.gatehouse.server.TestGatehouse.resource;
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
 * The guide, step by step, over real HTTP: a publisher protects an API with permissions, an external
 * identity provider (here organization {@code accounts}, whose built-in provider plays Asgardeo, reached only
 * through its discovery URL and token endpoint) issues tokens, a consumer links its client ID to an
 * application's production credentials and subscribes, and the gateway lets the call through.
 */
class GuideFlowTest {

    private static TestGatehouse gh;
    private static Http http;
    private static String apiId;
    private static String clientId;
    private static String clientSecret;
    private static String tokenEndpoint;

    @BeforeAll
    static void walkTheGuide() {
        gh = TestGatehouse.start();
        http = gh.http;

        // Step 1: the publisher assigns scopes to the API's resources, saves and deploys, publishes, promotes.
        String pat = gh.loginDemo(DemoData.PUBLISHER);
        JsonObject api = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, new JsonObject()
                .put("name", "Inventory").put("version", "v1").put("context", "/inventory")
                .put("backends", new JsonObject()
                        .put("development", gh.url(DemoBackend.PATH)).put("production", gh.url(DemoBackend.PATH)))
                .put("resources", new JsonArray().add(resource("GET", "/items")).add(resource("POST", "/items")))));
        apiId = api.getString("id");
        String base = gh.api("/orgs/acme/apis/" + apiId);
        JsonObject read = gh.created(http.post(base + "/permissions", pat, permission("read")));
        assertThat(read.getString("scope")).isEqualTo("urn:acme:inventory:read");
        gh.created(http.post(base + "/permissions", pat, permission("write")));
        JsonArray resources = api.getJsonArray("resources");
        gh.ok(http.put(base + "/resources/" + resources.getJsonObject(0).getString("id") + "/permissions", pat,
                new JsonObject().put("permissions", new JsonArray().add("read"))));
        gh.ok(http.put(base + "/resources/" + resources.getJsonObject(1).getString("id") + "/permissions", pat,
                new JsonObject().put("permissions", new JsonArray().add("write"))));
        gh.created(http.post(base + "/deployments", pat, new JsonObject().put("environment", "development")));
        gh.ok(http.post(base + "/lifecycle", pat, new JsonObject().put("state", "published")));
        gh.created(http.post(base + "/promotions", pat, new JsonObject().put("from", "development").put("to", "production")));

        // Step 2: in the identity provider, an API resource with the fully qualified scopes, a role, a user, an application.
        String root = gh.login(DemoData.EXTERNAL_ORG, DemoData.EXTERNAL_ADMIN, DemoData.password(DemoData.EXTERNAL_ADMIN));
        String idp = gh.api("/orgs/accounts/idp");
        gh.created(http.post(idp + "/api-resources", root, new JsonObject().put("identifier", "urn:acme:inventory")
                .put("name", "Inventory").put("scopes", new JsonArray().add("urn:acme:inventory:read").add("urn:acme:inventory:write"))));
        gh.created(http.post(idp + "/roles", root, new JsonObject().put("name", "inventory-reader")
                .put("scopes", new JsonArray().add("urn:acme:inventory:read"))));
        gh.created(http.post(idp + "/users", root, new JsonObject().put("username", "bob")
                .put("password", "bob-password").put("roles", new JsonArray().add("inventory-reader"))));
        JsonObject client = gh.created(http.post(idp + "/applications", root, new JsonObject().put("name", "Inventory client")
                .put("grantTypes", new JsonArray().add("password").add("client_credentials"))
                .put("authorizedScopes", new JsonArray().add("urn:acme:inventory:read").add("urn:acme:inventory:write"))));
        clientId = client.getString("clientId");
        clientSecret = client.getString("clientSecret");

        // Step 3: acme registers the external identity provider; alice creates an application, links the
        // client ID to its production credentials, and subscribes.
        String ada = gh.loginDemo(DemoData.ADMIN);
        JsonObject registered = gh.created(http.post(gh.api("/orgs/acme/identity-providers"), ada, new JsonObject()
                .put("name", "Accounts")
                .put("discoveryUrl", gh.url("/t/accounts/oauth2/token/.well-known/openid-configuration"))));
        assertThat(registered.getString("issuer")).isEqualTo(gh.url("/t/accounts/oauth2/token"));
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        JsonObject app = gh.created(http.post(gh.api("/orgs/acme/applications"), alice,
                new JsonObject().put("name", "Stock checker").put("description", "Checks stock")));
        String appUrl = gh.api("/orgs/acme/applications/" + app.getString("id"));
        JsonObject credential = gh.created(http.post(appUrl + "/credentials", alice, new JsonObject()
                .put("keyType", "production").put("identityProvider", registered.getString("id")).put("clientId", clientId)));
        tokenEndpoint = credential.getString("tokenEndpoint");
        gh.created(http.post(appUrl + "/subscriptions", alice, new JsonObject().put("apiId", apiId).put("tier", "Gold")));
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    @Test
    void credentialShowsTheExternalProvidersTokenEndpoint() {
        assertThat(tokenEndpoint).isEqualTo(gh.url("/t/accounts/oauth2/token"));
    }

    @Test
    void guidesExactCurl_getsATokenThatCallsTheApiThroughTheProductionGateway() {
        Http.Response token = http.guideTokenRequest(tokenEndpoint, "urn:acme:inventory:read", "bob", "bob-password",
                clientId, clientSecret);
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        assertThat(token.json().getString("scope")).isEqualTo("urn:acme:inventory:read");

        Http.Response call = awaitStatus(200, () -> http.get(
                gh.gateway(Environment.PRODUCTION, "/acme/inventory/v1/items?color=red"), token.json().getString("access_token")));
        JsonObject echoed = call.json();
        assertThat(echoed.getString("method")).isEqualTo("GET");
        assertThat(echoed.getString("path")).isEqualTo("/items");
        assertThat(echoed.getString("query")).isEqualTo("color=red");
    }

    @Test
    void metricsEndpoint_countsTheGatewaysCallsAndRefusalsForPrometheus() {
        String token = http.guideTokenRequest(tokenEndpoint, "urn:acme:inventory:read", "bob", "bob-password",
                clientId, clientSecret).json().getString("access_token");
        awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, "/acme/inventory/v1/items"), token));
        awaitRefusal(401, "credential", () -> http.get(gh.gateway(Environment.PRODUCTION, "/acme/inventory/v1/items"),
                null));

        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Http.Response metrics = http.get(gh.url("/metrics"), null);
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            assertThat(metrics.body())
                    .containsPattern("gatehouse_gateway_requests_seconds_count\\{api=\"[^\"]+\",application=\"[^\"]+\","
                            + "environment=\"production\",resource=\"GET /items\",status=\"2xx\"}")
                    .contains("gatehouse_gateway_requests_seconds_bucket{")
                    .contains("gatehouse_gateway_refusals_total{check=\"credential\",environment=\"production\","
                            + "reason=\"missing_token\"}");
        });
    }

    @Test
    void formBodyTokenRequest_worksToo() {
        Http.Response token = http.form(tokenEndpoint, Map.of("grant_type", "password", "username", "bob",
                "password", "bob-password", "scope", "urn:acme:inventory:read"), clientId, clientSecret);
        assertThat(token.status()).as(token.toString()).isEqualTo(200);
        awaitStatus(200, () -> http.get(gh.gateway(Environment.PRODUCTION, "/acme/inventory/v1/items"),
                token.json().getString("access_token")));
    }

    @Test
    void tokenWithoutTheRequiredScope_isRefusedWith403AndChallengeNamingTheScope() {
        String token = http.guideTokenRequest(tokenEndpoint, "urn:acme:inventory:read urn:acme:inventory:write", "bob",
                "bob-password", clientId, clientSecret).json().getString("access_token");
        Http.Response call = awaitRefusal(403, "scope", () -> http.post(
                gh.gateway(Environment.PRODUCTION, "/acme/inventory/v1/items"), token, new JsonObject().put("sku", "A-1")));
        assertThat(call.header("WWW-Authenticate"))
                .contains("error=\"insufficient_scope\"")
                .contains("scope=\"urn:acme:inventory:write\"");
    }

    @Test
    void productionCredentials_cannotCallTheDevelopmentGateway() {
        String token = http.guideTokenRequest(tokenEndpoint, "urn:acme:inventory:read", "bob", "bob-password",
                clientId, clientSecret).json().getString("access_token");
        awaitRefusal(403, "key_type", () -> http.get(gh.gateway(Environment.DEVELOPMENT, "/acme/inventory/v1/items"), token));
    }

    @Test
    void clientIdLinkedToASecondApplication_isRefusedWith409NamingTheField() {
        String alice = gh.loginDemo(DemoData.SUBSCRIBER);
        String idpId = http.get(gh.api("/orgs/acme/identity-providers"), alice).array().stream()
                .map(JsonObject.class::cast).filter(p -> p.getString("name").equals("Accounts"))
                .findFirst().orElseThrow().getString("id");
        JsonObject other = gh.created(http.post(gh.api("/orgs/acme/applications"), alice, new JsonObject().put("name", "Second app")));
        Http.Response link = http.post(gh.api("/orgs/acme/applications/" + other.getString("id") + "/credentials"), alice,
                new JsonObject().put("keyType", "sandbox").put("identityProvider", idpId).put("clientId", clientId));
        assertThat(link.status()).isEqualTo(409);
        assertThat(link.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(link.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("clientId");
        assertThat(link.json().getString("detail")).isEqualTo("the client ID '" + clientId
                + "' is already linked to an application; a client ID can be used in one application only");
    }
}
