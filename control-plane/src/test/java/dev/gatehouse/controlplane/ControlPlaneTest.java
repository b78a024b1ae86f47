package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.IdpConfig;
import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.identity.PasswordHasher;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.controlplane.snapshot.GatewaySigningKeys;
import dev.gatehouse.controlplane.snapshot.SnapshotAssembler;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The control plane alone, on a real socket: the contract binds every operation, validation and role checks
 * answer with problem details, and what a publisher deploys shows up in the environment's snapshot.
 */
class ControlPlaneTest {

    private static Vertx vertx;
    private static Store store;
    private static WebClient client;
    private static SnapshotAssembler snapshots;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        store = Store.open(StoreConfig.inMemory("cp-" + UUID.randomUUID()), Clock.systemUTC());
        Router router = Router.router(vertx);
        var server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        base = "http://127.0.0.1:" + server.actualPort();
        BuiltInIdentityProvider identity = new BuiltInIdentityProvider(store, new IdpConfig(base),
                new PasswordHasher(1024, 1, 1), MasterKey.ephemeral(), Clock.systemUTC());
        identity.mount(router);
        ControlPlaneConfig config = new ControlPlaneConfig(Map.of(Environment.PRODUCTION, "http://gw-prod",
                Environment.DEVELOPMENT, "http://gw-dev"), ControlPlaneConfig.DEFAULT_OPERATOR_ORGANIZATION);
        GatewaySigningKeys signingKeys = new GatewaySigningKeys(vertx, store, base, MasterKey.ephemeral());
        Router api = new ControlPlane(vertx, store, identity, config, signingKeys, Clock.systemUTC()).router().toCompletionStage()
                .toCompletableFuture().get();
        router.route("/api/*").subRouter(api);
        store.write(tx -> {
            Organization org = tx.organizations().create("acme", "ACME");
            identity.provisionOrganization(tx, org);
            identity.createUser(tx, org.id(), "pat", "pat-password", Set.of(Role.PUBLISHER));
            identity.createUser(tx, org.id(), "sam", "sam-password", Set.of(Role.SUBSCRIBER));
            identity.createUser(tx, org.id(), "ada", "ada-password", Set.of(Role.ADMIN));
            return org;
        });
        client = WebClient.create(vertx);
        snapshots = new SnapshotAssembler(store, identity, signingKeys);
    }

    @AfterAll
    static void stop() {
        vertx.close();
        store.close();
    }

    private static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) throws Exception {
        var request = client.requestAbs(method, base + path);
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        var future = body == null ? request.send() : request.sendJsonObject(body);
        return future.toCompletionStage().toCompletableFuture().get();
    }

    private static String login(String username, String password) throws Exception {
        var form = io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("grant_type", "password")
                .add("client_id", "gatehouse-cli").add("username", username).add("password", password);
        return client.postAbs(base + "/t/acme/oauth2/token").sendForm(form).toCompletionStage().toCompletableFuture()
                .get().bodyAsJsonObject().getString("access_token");
    }

    private static JsonObject ordersApi() {
        return new JsonObject().put("name", "Orders").put("version", "v1").put("context", "/orders")
                .put("backends", new JsonObject().put("development", "http://backend/dev").put("production", "http://backend/prod"))
                .put("permissions", new JsonArray().add(new JsonObject().put("value", "read")))
                .put("resources", new JsonArray().add(new JsonObject().put("method", "GET").put("path", "/orders/{id}")
                        .put("permissions", new JsonArray().add("read"))));
    }

    @Test
    void missingRequiredField_isA400ProblemNamingTheField() throws Exception {
        JsonObject api = ordersApi();
        api.remove("version");
        HttpResponse<Buffer> response = send(HttpMethod.POST, "/api/orgs/acme/apis", login("pat", "pat-password"), api);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
        JsonObject problem = response.bodyAsJsonObject();
        assertThat(problem.getString("type")).isEqualTo("urn:gatehouse:problem:invalid_request");
        assertThat(problem.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("version");
    }

    @Test
    void subscriber_isRefusedWith403() throws Exception {
        HttpResponse<Buffer> response = send(HttpMethod.POST, "/api/orgs/acme/apis", login("sam", "sam-password"), ordersApi());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.bodyAsJsonObject().getString("detail"))
                .isEqualTo("this operation needs the role publisher in organization 'acme'");
    }

    @Test
    void deployedApi_appearsInThatEnvironmentsSnapshotOnly() throws Exception {
        String pat = login("pat", "pat-password");
        JsonObject api = ordersApi().put("context", "/snapshot");
        HttpResponse<Buffer> created = send(HttpMethod.POST, "/api/orgs/acme/apis", pat, api);
        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        String id = created.bodyAsJsonObject().getString("id");
        long before = snapshots.currentRevision();
        HttpResponse<Buffer> deployed = send(HttpMethod.POST, "/api/orgs/acme/apis/" + id + "/deployments", pat,
                new JsonObject().put("environment", "development"));
        assertThat(deployed.statusCode()).isEqualTo(201);
        assertThat(deployed.bodyAsJsonObject().getString("url")).isEqualTo("http://gw-dev/acme/snapshot/v1");

        GatewaySnapshot development = snapshots.build(Environment.DEVELOPMENT);
        assertThat(development.version()).isGreaterThan(before);
        RoutedApi routed = development.apis().stream().filter(a -> a.apiId().equals(id)).findFirst().orElseThrow();
        assertThat(routed.basePath()).isEqualTo("/acme/snapshot/v1");
        assertThat(routed.backendUrl()).isEqualTo("http://backend/dev");
        assertThat(routed.resources().get(0).requiredScopes()).containsExactly("urn:acme:orders:read");
        assertThat(development.issuers()).anySatisfy(issuer ->
                assertThat(issuer.issuer()).isEqualTo(base + "/t/acme/oauth2/token"));
        assertThat(snapshots.build(Environment.PRODUCTION).apis()).noneMatch(a -> a.apiId().equals(id));
    }

    @Test
    void idpApplication_withRedirectUris_isRegisteredAsAPublicCodeFlowClient() throws Exception {
        JsonObject application = new JsonObject().put("name", "Single page")
                .put("grantTypes", new JsonArray().add("authorization_code"))
                .put("public", true)
                .put("redirectUris", new JsonArray().add("http://localhost:3000/callback")
                        .add("https://spa.acme.test/callback"));

        HttpResponse<Buffer> created = send(HttpMethod.POST, "/api/orgs/acme/idp/applications",
                login("ada", "ada-password"), application);

        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        JsonObject body = created.bodyAsJsonObject();
        assertThat(body.getBoolean("public")).isTrue();
        assertThat(body.getString("clientSecret")).isNull();
        assertThat(body.getJsonArray("grantTypes")).containsExactly("authorization_code");
        assertThat(body.getJsonArray("redirectUris"))
                .containsExactly("http://localhost:3000/callback", "https://spa.acme.test/callback");
    }

    @Test
    void idpApplication_forTheDeviceCodeGrant_isRegisteredAsAPublicClientWithRefreshTokens() throws Exception {
        JsonObject application = new JsonObject().put("name", "Command line")
                .put("grantTypes", new JsonArray().add("urn:ietf:params:oauth:grant-type:device_code")
                        .add("refresh_token"))
                .put("public", true);

        HttpResponse<Buffer> created = send(HttpMethod.POST, "/api/orgs/acme/idp/applications",
                login("ada", "ada-password"), application);

        assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
        assertThat(created.bodyAsJsonObject().getJsonArray("grantTypes"))
                .containsExactlyInAnyOrder("urn:ietf:params:oauth:grant-type:device_code", "refresh_token");
    }

    @Test
    void idpApplication_withAnHttpRedirectUriOffLocalhost_isA400ProblemNamingTheField() throws Exception {
        JsonObject application = new JsonObject().put("name", "Web")
                .put("grantTypes", new JsonArray().add("authorization_code"))
                .put("redirectUris", new JsonArray().add("http://web.acme.test/callback"));

        HttpResponse<Buffer> response = send(HttpMethod.POST, "/api/orgs/acme/idp/applications",
                login("ada", "ada-password"), application);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.bodyAsString()).contains("redirectUris");
    }

    @Test
    void adminChangesAndSignIns_areListedAsAuditEvents() throws Exception {
        String ada = login("ada", "ada-password");
        send(HttpMethod.POST, "/api/orgs/acme/idp/users", ada, new JsonObject().put("username", "audited")
                .put("password", "audited-password"));
        login("audited", "not-the-password");

        HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/orgs/acme/idp/audit-events", ada, null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonArray events = response.bodyAsJsonArray();
        assertThat(events.stream().map(JsonObject.class::cast))
                .anySatisfy(event -> {
                    assertThat(event.getString("type")).isEqualTo("admin.createUser");
                    assertThat(event.getString("actor")).isEqualTo("ada");
                    assertThat(event.getString("detail")).isEqualTo("audited");
                })
                .anySatisfy(event -> {
                    assertThat(event.getString("type")).isEqualTo("login.failed");
                    assertThat(event.getString("actor")).isEqualTo("audited");
                });
        assertThat(response.bodyAsString()).doesNotContain("audited-password", "not-the-password");
    }

    @Test
    void auditEvents_areForAdminsOnly() throws Exception {
        HttpResponse<Buffer> response = send(HttpMethod.GET, "/api/orgs/acme/idp/audit-events",
                login("pat", "pat-password"), null);

        assertThat(response.statusCode()).isEqualTo(403);
    }
}
