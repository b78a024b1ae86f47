package dev.gatehouse.server;

import static dev.gatehouse.server.TestGatehouse.permission;
import static dev.gatehouse.server.TestGatehouse.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The management API's contract, roles, validation and lifecycle rules, over real HTTP. */
class ManagementApiTest {

    private static TestGatehouse gh;
    private static Http http;
    private static String pat;
    private static String alice;

    @BeforeAll
    static void start() {
        gh = TestGatehouse.start();
        http = gh.http;
        pat = gh.loginDemo(DemoData.PUBLISHER);
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
    }

    @AfterAll
    static void stop() {
        gh.close();
    }

    private static JsonObject newApi(String name, String context) {
        String backend = gh.url(DemoBackend.PATH);
        return new JsonObject().put("name", name).put("version", "v1").put("context", context)
                .put("backends", new JsonObject().put("development", backend).put("production", backend))
                .put("resources", new JsonArray().add(resource("GET", "/things")));
    }

    @Test
    void contract_isServedAtAStableUrl() {
        Http.Response yaml = http.get(gh.api("/openapi.yaml"), null);
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).contains("operationId: createApi");
        assertThat(http.get(gh.api("/openapi.json"), null).json().getString("openapi")).startsWith("3.");
    }

    @Test
    void requestWithoutToken_isRefusedWith401ProblemAndChallenge() {
        Http.Response response = http.get(gh.api("/orgs/acme/apis"), null);
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse\"");
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.json().getString("detail"))
                .isEqualTo("a bearer token from the built-in identity provider is required");
    }

    @Test
    void requestWithForgedToken_isRefusedWith401() {
        Http.Response response = http.get(gh.api("/orgs/acme/apis"), pat.substring(0, pat.length() - 4) + "AAAA");
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().getString("detail")).isEqualTo("the bearer token is invalid or expired");
    }

    @Test
    void subscriber_cannotCreateOrChangeAnApi() {
        Http.Response create = http.post(gh.api("/orgs/acme/apis"), alice, newApi("Sneaky", "/sneaky"));
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.json().getString("detail"))
                .isEqualTo("this operation needs the role publisher in organization 'acme'");
        String ordersId = http.get(gh.api("/orgs/acme/apis"), alice).array().getJsonObject(0).getString("id");
        Http.Response lifecycle = http.post(gh.api("/orgs/acme/apis/" + ordersId + "/lifecycle"), alice,
                new JsonObject().put("state", "blocked"));
        assertThat(lifecycle.status()).isEqualTo(403);
    }

    @Test
    void publisher_cannotSeeAnotherOrganization() {
        assertThat(http.get(gh.api("/orgs/accounts"), pat).status()).isEqualTo(404);
        assertThat(http.get(gh.api("/orgs/accounts/apis"), pat).status()).isEqualTo(404);
        assertThat(http.get(gh.api("/orgs"), pat).array()).extracting(o -> ((JsonObject) o).getString("handle"))
                .containsExactly("acme");
    }

    @Test
    void invalidApi_isRefusedWith400NamingTheField() {
        Http.Response response = http.post(gh.api("/orgs/acme/apis"), pat, newApi("Bad", "no-leading-slash"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("context");
    }

    @Test
    void apiWithoutABackendForEachEnvironment_isRefusedWith400NamingTheMissingOne() {
        JsonObject api = newApi("Backendless", "/backendless").put("backends",
                new JsonObject().put("production", gh.url(DemoBackend.PATH)));
        Http.Response response = http.post(gh.api("/orgs/acme/apis"), pat, api);
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("backends.development");
    }

    @Test
    void resourceWithAnUnknownPermission_isRefusedWith400AndNothingIsCreated() {
        JsonObject api = newApi("Half", "/half").put("resources",
                new JsonArray().add(resource("GET", "/things", "missing")));
        Http.Response response = http.post(gh.api("/orgs/acme/apis"), pat, api);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().getJsonArray("errors").getJsonObject(0).getString("field"))
                .isEqualTo("resources.0.permissions");
        assertThat(http.get(gh.api("/orgs/acme/apis"), pat).array())
                .noneMatch(o -> ((JsonObject) o).getString("name").equals("Half"));
    }

    @Test
    void duplicateContextAndVersion_isRefusedWith409() {
        gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("Twice", "/twice")));
        Http.Response again = http.post(gh.api("/orgs/acme/apis"), pat, newApi("Twice again", "/twice"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("context");
    }

    @Test
    void permissions_showTheirFullyQualifiedScope_andAttachToResources() {
        JsonObject api = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("Payment Service", "/payments")));
        String base = gh.api("/orgs/acme/apis/" + api.getString("id"));
        JsonObject permission = gh.created(http.post(base + "/permissions", pat, permission("refund")));
        assertThat(permission.getString("scope")).isEqualTo("urn:acme:payment-service:refund");
        assertThat(http.post(base + "/permissions", pat, permission("refund")).status()).isEqualTo(409);
        String resourceId = api.getJsonArray("resources").getJsonObject(0).getString("id");
        JsonObject resourceView = gh.ok(http.put(base + "/resources/" + resourceId + "/permissions", pat,
                new JsonObject().put("permissions", new JsonArray().add("refund"))));
        assertThat(resourceView.getJsonArray("scopes").getString(0)).isEqualTo("urn:acme:payment-service:refund");
    }

    @Test
    void lifecycle_followsItsTransitions() {
        JsonObject api = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("Lifecycle", "/lifecycle")));
        String lifecycle = gh.api("/orgs/acme/apis/" + api.getString("id") + "/lifecycle");
        Http.Response retire = http.post(lifecycle, pat, new JsonObject().put("state", "retired"));
        assertThat(retire.status()).isEqualTo(409);
        assertThat(retire.json().getString("detail")).isEqualTo("an API cannot go from created to retired");
        assertThat(gh.ok(http.post(lifecycle, pat, new JsonObject().put("state", "published"))).getString("lifecycle"))
                .isEqualTo("published");
        assertThat(gh.ok(http.post(lifecycle, pat, new JsonObject().put("state", "deprecated"))).getString("lifecycle"))
                .isEqualTo("deprecated");
        assertThat(gh.ok(http.post(lifecycle, pat, new JsonObject().put("state", "retired"))).getString("lifecycle"))
                .isEqualTo("retired");
    }

    @Test
    void promotingWhatIsNotDeployed_isRefusedWith409() {
        JsonObject api = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("Undeployed", "/undeployed")));
        Http.Response promote = http.post(gh.api("/orgs/acme/apis/" + api.getString("id") + "/promotions"), pat,
                new JsonObject().put("from", "development").put("to", "production"));
        assertThat(promote.status()).isEqualTo(409);
        assertThat(promote.json().getString("detail")).isEqualTo("the API is not deployed to development");
    }

    @Test
    void forwardingTheCallersAuthorization_isOffByDefault_andSetOnCreateOrUpdate() {
        JsonObject plain = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("Plain", "/plain")));
        JsonObject forwarding = gh.created(http.post(gh.api("/orgs/acme/apis"), pat,
                newApi("Forwarding", "/forwarding").put("forwardAuthorization", true)));

        assertThat(plain.getBoolean("forwardAuthorization")).isFalse();
        assertThat(forwarding.getBoolean("forwardAuthorization")).isTrue();
        JsonObject turnedOff = gh.ok(http.patch(gh.api("/orgs/acme/apis/" + forwarding.getString("id")), pat,
                new JsonObject().put("forwardAuthorization", false)));
        assertThat(turnedOff.getBoolean("forwardAuthorization")).isFalse();
        assertThat(http.patch(gh.api("/orgs/acme/apis/" + plain.getString("id")), pat,
                new JsonObject().put("forwardAuthorization", "yes")).status()).isEqualTo(400);
    }

    @Test
    void corsOrigins_areNoneByDefault_setOnCreateOrUpdate_andValidated() {
        JsonObject api = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("Browser", "/browser")
                .put("corsOrigins", new JsonArray().add("https://app.example.com"))));
        JsonObject plain = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("NoCors", "/nocors")));

        assertThat(api.getJsonArray("corsOrigins")).isEqualTo(new JsonArray().add("https://app.example.com"));
        assertThat(plain.getJsonArray("corsOrigins")).isEmpty();
        JsonObject anyOrigin = gh.ok(http.patch(gh.api("/orgs/acme/apis/" + api.getString("id")), pat,
                new JsonObject().put("corsOrigins", new JsonArray().add("*"))));
        assertThat(anyOrigin.getJsonArray("corsOrigins")).isEqualTo(new JsonArray().add("*"));
        assertThat(http.patch(gh.api("/orgs/acme/apis/" + api.getString("id")), pat, new JsonObject()
                .put("corsOrigins", new JsonArray().add("https://app.example.com/path"))).status()).isEqualTo(400);
    }

    @Test
    void subscriber_seesOnlyPublishedApis() {
        gh.created(http.post(gh.api("/orgs/acme/apis"), pat, newApi("Draft", "/draft")));
        assertThat(http.get(gh.api("/orgs/acme/apis"), alice).array())
                .allMatch(o -> ((JsonObject) o).getString("lifecycle").equals("published"));
    }

    @Test
    void unknownOperation_isA404Problem() {
        Http.Response response = http.get(gh.api("/nothing/here"), pat);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void operatorAdmin_createsAnOrganizationWhoseAdminCanSignIn() {
        String operator = gh.loginOperator();
        JsonObject org = gh.created(http.post(gh.api("/orgs"), operator, new JsonObject().put("handle", "globex")
                .put("name", "Globex").put("admin", new JsonObject().put("username", "hank").put("password", "hank-password"))));
        assertThat(org.getString("tokenEndpoint")).isEqualTo(gh.tokenEndpoint("globex"));
        String hank = gh.login("globex", "hank", "hank-password");
        assertThat(gh.ok(http.get(gh.api("/me"), hank)).getJsonArray("roles")).containsExactly("admin");
        assertThat(http.post(gh.api("/orgs"), hank, new JsonObject().put("handle", "other").put("name", "Other")
                .put("admin", new JsonObject().put("username", "x").put("password", "x-password"))).status()).isEqualTo(403);
    }
}
