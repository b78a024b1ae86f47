package dev.gatehouse.server;

import static dev.gatehouse.server.TestGatehouse.permission;
import static dev.gatehouse.server.TestGatehouse.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * APIs as OpenAPI documents, over real HTTP: the document Gatehouse generates for an API (what the developer
 * portal's try-it console reads), and APIs imported from a publisher's document, given inline or by URL.
 */
class OpenApiTest {

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

    private static String openApiUrl(String apiId) {
        return gh.api("/orgs/acme/apis/" + apiId + "/openapi");
    }

    private static Http.Response openApiWithServer(String apiId, String server) {
        return http.get(openApiUrl(apiId) + "?server=" + URLEncoder.encode(server, StandardCharsets.UTF_8), alice);
    }

    private static JsonObject backends() {
        String backend = gh.url(DemoBackend.PATH);
        return new JsonObject().put("production", backend).put("development", backend);
    }

    private static String errorField(Http.Response response) {
        return response.json().getJsonArray("errors").getJsonObject(0).getString("field");
    }

    @Test
    void publishedApi_isDescribedAsAnOpenApiDocument_thatAnOpenApiParserAccepts() {
        JsonObject api = gh.publishedApi(pat, "Stock", "/stock",
                new JsonArray().add(permission("read").put("description", "Read stock"))
                        .add(permission("write").put("description", "Change stock")),
                new JsonArray().add(resource("GET", "/items", "read"))
                        .add(resource("GET", "/items/{itemId}/lots/{lot}", "read", "write"))
                        .add(resource("POST", "/items", "write"))
                        .add(resource("DELETE", "/items/{itemId}")));

        JsonObject document = gh.ok(http.get(openApiUrl(api.getString("id")), alice));
        JsonObject deployed = gh.ok(http.get(gh.api("/orgs/acme/apis/" + api.getString("id")), alice));

        assertThat(document.getString("openapi")).isEqualTo("3.0.3");
        assertThat(document.getJsonObject("info").getString("title")).isEqualTo("Stock");
        assertThat(document.getJsonObject("info").getString("version")).isEqualTo("v1");
        assertThat(document.getJsonArray("servers")).containsExactlyInAnyOrderElementsOf(
                deployed.getJsonArray("deployments").stream().map(JsonObject.class::cast)
                        .map(d -> new JsonObject().put("url", d.getString("url"))
                                .put("description", d.getString("environment")))
                        .toList());
        assertThat(document.getJsonArray("servers")).hasSize(2);
        JsonObject paths = document.getJsonObject("paths");
        assertThat(paths.fieldNames()).containsExactlyInAnyOrder("/items", "/items/{itemId}/lots/{lot}",
                "/items/{itemId}");
        assertThat(paths.getJsonObject("/items").fieldNames()).containsExactlyInAnyOrder("get", "post");
        JsonObject lots = paths.getJsonObject("/items/{itemId}/lots/{lot}").getJsonObject("get");
        assertThat(lots.getJsonArray("parameters")).containsExactly(
                new JsonObject().put("name", "itemId").put("in", "path").put("required", true)
                        .put("schema", new JsonObject().put("type", "string")),
                new JsonObject().put("name", "lot").put("in", "path").put("required", true)
                        .put("schema", new JsonObject().put("type", "string")));
        assertThat(lots.getJsonArray("security")).containsExactly(
                new JsonObject().put("oauth2", new JsonArray().add("urn:acme:stock:read").add("urn:acme:stock:write")),
                new JsonObject().put("bearer", new JsonArray()));
        assertThat(paths.getJsonObject("/items").getJsonObject("get").containsKey("parameters")).isFalse();
        assertThat(paths.getJsonObject("/items/{itemId}").getJsonObject("delete").getJsonArray("security"))
                .containsExactly(new JsonObject().put("oauth2", new JsonArray()),
                        new JsonObject().put("bearer", new JsonArray()));
        JsonObject schemes = document.getJsonObject("components").getJsonObject("securitySchemes");
        assertThat(schemes.getJsonObject("oauth2")).isEqualTo(new JsonObject().put("type", "oauth2")
                .put("flows", new JsonObject().put("clientCredentials", new JsonObject()
                        .put("tokenUrl", gh.tokenEndpoint("acme"))
                        .put("scopes", new JsonObject().put("urn:acme:stock:read", "Read stock")
                                .put("urn:acme:stock:write", "Change stock")))));
        assertThat(schemes.getJsonObject("bearer")).isEqualTo(new JsonObject().put("type", "http")
                .put("scheme", "bearer").put("bearerFormat", "JWT"));

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(document.encode());
        assertThat(parsed.getMessages()).isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).hasSize(3);
    }

    @Test
    void apiNotDeployed_hasNoServers() {
        JsonObject api = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, new JsonObject()
                .put("name", "Draft stock").put("version", "v1").put("context", "/draft-stock")
                .put("backends", backends())
                .put("resources", new JsonArray().add(resource("GET", "/items")))));

        JsonObject document = gh.ok(http.get(openApiUrl(api.getString("id")), pat));

        assertThat(document.getJsonArray("servers")).isEmpty();
        assertThat(document.getJsonObject("paths").fieldNames()).containsExactly("/items");
    }

    @Test
    void serverParameter_replacesTheGatewayUrlsWithOneRelativeUrl() {
        JsonObject api = gh.publishedApi(pat, "Relayed", "/relayed", new JsonArray(),
                new JsonArray().add(resource("GET", "/things")));

        JsonObject document = gh.ok(openApiWithServer(api.getString("id"), "/portal/try/acme/relayed/v1"));

        assertThat(document.getJsonArray("servers"))
                .containsExactly(new JsonObject().put("url", "/portal/try/acme/relayed/v1"));
    }

    @Test
    void serverParameterLeavingTheOrigin_isRefusedWith400NamingServer() {
        JsonObject api = gh.publishedApi(pat, "Guarded", "/guarded", new JsonArray(),
                new JsonArray().add(resource("GET", "/things")));

        for (String server : new String[] {"https://evil.example/x", "//evil.example/x", "/a/../../admin",
                "relative/path", "/\\evil.example", "/a//b"}) {
            Http.Response response = openApiWithServer(api.getString("id"), server);
            assertThat(response.status()).as("%s: %s", server, response).isEqualTo(400);
            assertThat(errorField(response)).as("%s: %s", server, response).isEqualTo("server");
        }
    }

    @Test
    void unknownApi_orOneASubscriberMayNotSee_isA404() {
        assertThat(http.get(openApiUrl("no-such-api"), alice).status()).isEqualTo(404);
        JsonObject draft = gh.created(http.post(gh.api("/orgs/acme/apis"), pat, new JsonObject()
                .put("name", "Unpublished").put("version", "v1").put("context", "/unpublished")
                .put("backends", backends())));
        assertThat(http.get(openApiUrl(draft.getString("id")), alice).status()).isEqualTo(404);
        assertThat(http.get(openApiUrl(draft.getString("id")), pat).status()).isEqualTo(200);
        assertThat(http.get(openApiUrl(draft.getString("id")), null).status()).isEqualTo(401);
    }
}
