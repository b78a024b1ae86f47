package dev.gatehouse.server;

import static dev.gatehouse.server.TestGatehouse.permission;
import static dev.gatehouse.server.TestGatehouse.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * APIs as OpenAPI documents, over real HTTP: the document Gatehouse generates for an API (what the developer
 * portal's try-it console reads), and APIs imported from a publisher's document, given inline or by URL.
 */
class OpenApiTest {

    /** A publisher's document as YAML: OAuth 2.0 scopes by default, another for POST, none for DELETE. */
    private static final String PET_STORE_YAML = """
            openapi: 3.0.3
            info:
              title: Pet Store
              version: 1.0.0 beta
              description: Pets for sale
            servers:
              - url: http://127.0.0.1:9/Pet-Store/{version}
                variables:
                  version: {default: v3}
            security:
              - petstore_auth: ['read:pets']
            paths:
              /pets:
                get:
                  summary: List pets
                  responses: {'200': {description: Pets}}
                post:
                  security: [{petstore_auth: ['write:pets']}, {api_key: []}]
                  responses: {'201': {description: Added}}
              /pets/{petId}:
                get:
                  responses: {'200': {description: A pet}}
                delete:
                  security: []
                  responses: {'204': {description: Gone}}
            components:
              securitySchemes:
                api_key: {type: apiKey, in: header, name: api_key}
                petstore_auth:
                  type: oauth2
                  flows:
                    implicit:
                      authorizationUrl: https://auth.example/authorize
                      scopes:
                        'read:pets': Read your pets
                        'write:pets': Change your pets
            """;

    /** The same kind of document as JSON, OpenAPI 3.1, without servers. */
    private static final String INVENTORY_JSON = inventoryJson("Warehouse Inventory");

    private static String inventoryJson(String title) {
        return new JsonObject()
                .put("openapi", "3.1.0")
                .put("info", new JsonObject().put("title", title).put("version", "2"))
                .put("paths", new JsonObject().put("/bins/{bin}", new JsonObject().put("put", new JsonObject()
                        .put("responses", new JsonObject().put("200", new JsonObject().put("description", "Stored"))))))
                .encode();
    }

    private static TestGatehouse gh;
    private static Http http;
    private static String pat;
    private static String alice;
    private static HttpServer documents;
    private static String documentsUrl;

    @BeforeAll
    static void start() throws IOException {
        gh = TestGatehouse.start();
        http = gh.http;
        pat = gh.loginDemo(DemoData.PUBLISHER);
        alice = gh.loginDemo(DemoData.SUBSCRIBER);
        documents = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] tooLarge = new byte[5 * 1024 * 1024 + 1];
        Arrays.fill(tooLarge, (byte) ' ');
        Map<String, byte[]> bodies = Map.of("/inventory.json", INVENTORY_JSON.getBytes(StandardCharsets.UTF_8),
                "/moved-here.json", INVENTORY_JSON.replace("Warehouse Inventory", "Moved Inventory")
                        .getBytes(StandardCharsets.UTF_8),
                "/too-large.yaml", tooLarge);
        documents.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/to-a-file")) {
                exchange.getResponseHeaders().add("Location", "file:///etc/passwd");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals("/to-the-metadata")) {
                exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
                exchange.sendResponseHeaders(302, -1);
            } else if (path.equals("/moved")) {
                exchange.getResponseHeaders().add("Location", "/moved-here.json");
                exchange.sendResponseHeaders(301, -1);
            } else if (path.equals("/loop")) {
                exchange.getResponseHeaders().add("Location", "/loop");
                exchange.sendResponseHeaders(302, -1);
            } else if (bodies.containsKey(path)) {
                exchange.sendResponseHeaders(200, bodies.get(path).length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bodies.get(path));
                }
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
            exchange.close();
        });
        documents.start();
        documentsUrl = "http://127.0.0.1:" + documents.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        documents.stop(0);
        gh.close();
    }

    private static Http.Response importApi(String token, JsonObject body) {
        return http.post(gh.api("/orgs/acme/apis/import"), token, body);
    }

    private static int apiCount() {
        return http.get(gh.api("/orgs/acme/apis"), pat).array().size();
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

    @Test
    void yamlDocument_isImportedAsCreateApiWould_withPermissionsFromItsOAuthScopes() {
        JsonObject api = gh.created(importApi(pat, new JsonObject().put("document", PET_STORE_YAML)));

        assertThat(api.getString("name")).isEqualTo("Pet Store");
        assertThat(api.getString("version")).isEqualTo("1.0.0-beta");
        assertThat(api.getString("context")).isEqualTo("/pet-store/v3");
        assertThat(api.getString("description")).isEqualTo("Pets for sale");
        assertThat(api.getString("lifecycle")).isEqualTo("created");
        assertThat(api.getJsonObject("backends")).isEqualTo(new JsonObject()
                .put("production", "http://127.0.0.1:9/Pet-Store/v3").put("development", "http://127.0.0.1:9/Pet-Store/v3"));
        assertThat(api.getJsonArray("permissions")).containsExactlyInAnyOrder(
                new JsonObject().put("value", "read-pets").put("description", "Read your pets")
                        .put("scope", "urn:acme:pet-store:read-pets"),
                new JsonObject().put("value", "write-pets").put("description", "Change your pets")
                        .put("scope", "urn:acme:pet-store:write-pets"));
        assertThat(api.getJsonArray("resources").stream().map(JsonObject.class::cast)
                .map(r -> r.getString("method") + " " + r.getString("path") + " " + r.getJsonArray("permissions")))
                .containsExactlyInAnyOrder("GET /pets [\"read-pets\"]", "POST /pets [\"write-pets\"]",
                        "GET /pets/{petId} [\"read-pets\"]", "DELETE /pets/{petId} []");
        assertThat(gh.ok(http.get(gh.api("/orgs/acme/apis/" + api.getString("id")), pat))).isEqualTo(api);
    }

    @Test
    void generatedDocument_importsBack_withTheSameShortPermissions() {
        JsonObject original = gh.publishedApi(pat, "Original", "/original",
                new JsonArray().add(permission("read").put("description", "Read it")),
                new JsonArray().add(resource("GET", "/things/{id}", "read")).add(resource("POST", "/things")));
        JsonObject document = gh.ok(http.get(openApiUrl(original.getString("id")), pat));
        document.getJsonObject("info").put("title", "Copy");

        JsonObject copy = gh.created(importApi(pat, new JsonObject().put("document", document.encode())
                .put("context", "/copy").put("backends", backends())));

        assertThat(copy.getString("context")).isEqualTo("/copy");
        assertThat(copy.getJsonArray("permissions")).containsExactly(new JsonObject().put("value", "read")
                .put("description", "Read it").put("scope", "urn:acme:copy:read"));
        assertThat(copy.getJsonArray("resources").stream().map(JsonObject.class::cast)
                .map(r -> r.getString("method") + " " + r.getString("path") + " " + r.getJsonArray("permissions")))
                .containsExactlyInAnyOrder("GET /things/{id} [\"read\"]", "POST /things []");
    }

    @Test
    void documentAtAUrl_isFetchedAndImported_withContextFromItsTitle() {
        JsonObject api = gh.created(importApi(pat, new JsonObject().put("url", documentsUrl + "/inventory.json")
                .put("backends", backends())));

        assertThat(api.getString("name")).isEqualTo("Warehouse Inventory");
        assertThat(api.getString("version")).isEqualTo("2");
        assertThat(api.getString("context")).isEqualTo("/warehouse-inventory");
        assertThat(api.getJsonArray("permissions")).isEmpty();
        assertThat(api.getJsonArray("resources").getJsonObject(0).getString("path")).isEqualTo("/bins/{bin}");
    }

    @Test
    void documentMovedWithinItsServer_isFollowed() {
        JsonObject api = gh.created(importApi(pat, new JsonObject().put("url", documentsUrl + "/moved")
                .put("context", "/moved-inventory").put("backends", backends())));
        assertThat(api.getString("name")).isEqualTo("Moved Inventory");
    }

    @Test
    void documentOrUrl_exactlyOne_isRequired() {
        Http.Response neither = importApi(pat, new JsonObject().put("context", "/neither"));
        assertThat(neither.status()).as(neither.toString()).isEqualTo(400);
        assertThat(errorField(neither)).isEqualTo("document");
        Http.Response both = importApi(pat, new JsonObject().put("document", PET_STORE_YAML)
                .put("url", documentsUrl + "/inventory.json"));
        assertThat(both.status()).as(both.toString()).isEqualTo(400);
        assertThat(errorField(both)).isEqualTo("url");
    }

    @Test
    void unparseableOrNonOpenApi3Document_isRefusedWith400NamingDocument_withoutAStackTrace() {
        for (String document : new String[] {"{ this is: [not yaml", "swagger: '2.0'\ninfo: {title: Old, version: '1'}\npaths: {}\n",
                "openapi: 3.0.3\ninfo: {version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n"}) {
            Http.Response response = importApi(pat, new JsonObject().put("document", document).put("backends", backends()));
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(errorField(response)).isEqualTo("document");
            assertThat(response.body()).doesNotContain("\tat ").doesNotContain("Exception");
        }
        Http.Response untitled = importApi(pat, new JsonObject().put("backends", backends()).put("document",
                "openapi: 3.0.3\ninfo: {version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n"));
        assertThat(untitled.json().getString("detail")).startsWith("document: the document lacks info.title");
    }

    @Test
    void operationGatehouseCannotRoute_isRefusedWith400NamingDocument_andNothingIsCreated() {
        int before = apiCount();
        Http.Response response = importApi(pat, new JsonObject().put("backends", backends()).put("document",
                "openapi: 3.0.3\ninfo: {title: Tracer, version: '1'}\npaths: {/x: {trace: {responses: {'200': {description: ok}}}}}\n"));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().getString("detail")).isEqualTo("document: TRACE /x: Gatehouse routes GET, POST, PUT, "
                + "PATCH, DELETE, HEAD, OPTIONS on path templates of [A-Za-z0-9._~!$&'()*+,;=:@/{}-] only");
        assertThat(apiCount()).isEqualTo(before);
    }

    @Test
    void urlThatCannotBeFetched_isRefusedWith400NamingUrl() {
        Map<String, String> refusals = Map.of(
                documentsUrl + "/missing.yaml", "url: the document's URL answered HTTP 404",
                documentsUrl + "/too-large.yaml", "url: the document is larger than 5242880 bytes",
                documentsUrl + "/to-a-file", "url: must be an http or https URL",
                documentsUrl + "/to-the-metadata", "url: nothing is fetched from 169.254.169.254",
                "http://169.254.169.254/latest/meta-data/", "url: nothing is fetched from 169.254.169.254",
                "http://[fe80::1]/openapi.yaml", "url: nothing is fetched from fe80",
                documentsUrl + "/loop", "url: the document's URL redirected more than 3 times",
                "http://127.0.0.1:9/closed.yaml", "url: could not fetch the document: ConnectException");
        refusals.forEach((url, detail) -> {
            Http.Response response = importApi(pat, new JsonObject().put("url", url));
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(errorField(response)).isEqualTo("url");
            assertThat(response.json().getString("detail")).as(url).startsWith(detail);
        });
        Http.Response notHttp = importApi(pat, new JsonObject().put("url", "file:///etc/passwd"));
        assertThat(notHttp.status()).isEqualTo(400);
        assertThat(errorField(notHttp)).isEqualTo("url");
    }

    @Test
    void documentWithoutAnAbsoluteServer_needsBackends() {
        Http.Response response = importApi(pat, new JsonObject().put("document", INVENTORY_JSON).put("context", "/nowhere"));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")))
                .containsExactlyInAnyOrder("backends.production", "backends.development");
    }

    @Test
    void subscriber_cannotImport_andAnotherOrganizationIsNotFound() {
        Http.Response subscriber = importApi(alice, new JsonObject().put("url", documentsUrl + "/inventory.json")
                .put("backends", backends()));
        assertThat(subscriber.status()).isEqualTo(403);
        assertThat(subscriber.json().getString("detail"))
                .isEqualTo("this operation needs the role publisher in organization 'acme'");
        assertThat(http.post(gh.api("/orgs/accounts/apis/import"), pat, new JsonObject().put("document", INVENTORY_JSON))
                .status()).isEqualTo(404);
    }

    @Test
    void importClashingWithAnExistingApi_isRefusedWith409_andChangesNothing() {
        gh.created(importApi(pat, new JsonObject().put("document", inventoryJson("Clash")).put("context", "/clash")
                .put("backends", backends())));
        int before = apiCount();

        Http.Response again = importApi(pat, new JsonObject().put("document", inventoryJson("Clash again"))
                .put("context", "/clash").put("backends", backends()));

        assertThat(again.status()).as(again.toString()).isEqualTo(409);
        assertThat(errorField(again)).isEqualTo("context");
        assertThat(apiCount()).isEqualTo(before);
        assertThat(http.get(gh.api("/orgs/acme/apis"), pat).array())
                .noneMatch(api -> ((JsonObject) api).getString("name").equals("Clash again"));
    }
}
