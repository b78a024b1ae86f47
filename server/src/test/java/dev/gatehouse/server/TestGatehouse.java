package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.controlplane.ControlPlaneConfig;
import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.model.Environment;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * A whole Gatehouse on free ports over its own in-memory store, with the demo seeded, and the calls the
 * tests make against it as a user would: tokens from the built-in identity provider, management API calls,
 * and calls through the gateways.
 */
final class TestGatehouse implements AutoCloseable {

    static final String ADMIN_PASSWORD = "operator-password";
    /** Analytics shipped every 200 ms, so that tests read them back soon after their calls. */
    static final AnalyticsOptions ANALYTICS = new AnalyticsOptions(Duration.ofMillis(200), 10_000);
    /** One for every Gatehouse a test starts, since several may share one store, as replicas do. */
    static final MasterKey MASTER_KEY = MasterKey.ephemeral();

    final Gatehouse gatehouse;
    final Http http = new Http();
    private final String publicUrl;

    TestGatehouse(Gatehouse gatehouse) {
        this(gatehouse, gatehouse.publicUrl());
    }

    private TestGatehouse(Gatehouse gatehouse, String publicUrl) {
        this.gatehouse = gatehouse;
        this.publicUrl = publicUrl;
    }

    /** The same calls against a control plane running elsewhere (another process); closing it leaves that alone. */
    static TestGatehouse remote(String publicUrl) {
        return new TestGatehouse(null, publicUrl);
    }

    static TestGatehouse start() {
        return start(StoreConfig.inMemory("e2e-" + UUID.randomUUID()));
    }

    static TestGatehouse start(StoreConfig store) {
        return new TestGatehouse(Gatehouse.start(config(store, true, null), Clock.systemUTC()));
    }

    /** Gateways behind a load balancer that ends TLS: callers reach the production gateway at {@code publicUrl}. */
    static TestGatehouse startBehindLoadBalancer(String productionGatewayUrl) {
        return new TestGatehouse(Gatehouse.start(new GatehouseConfig("127.0.0.1", 0, 0, 0, null, productionGatewayUrl,
                null, StoreConfig.inMemory("e2e-" + UUID.randomUUID()), ADMIN_PASSWORD, true, Duration.ofMillis(100),
                Duration.ofMillis(100), true, null, ANALYTICS, MASTER_KEY), Clock.systemUTC()));
    }

    /** Role control-plane: no gateways of its own, and the gateway feed open to {@code gatewayToken}. */
    static TestGatehouse startControlPlane(String gatewayToken) {
        return startControlPlane(StoreConfig.inMemory("e2e-" + UUID.randomUUID()), gatewayToken);
    }

    static TestGatehouse startControlPlane(StoreConfig store, String gatewayToken) {
        return startControlPlane(store, gatewayToken, 0);
    }

    /** Role control-plane on a given port, so that it can be stopped and started again where gateways expect it. */
    static TestGatehouse startControlPlane(StoreConfig store, String gatewayToken, int port) {
        return new TestGatehouse(Gatehouse.start(config(store, false, gatewayToken, port), Clock.systemUTC()));
    }

    private static GatehouseConfig config(StoreConfig store, boolean gateways, String gatewayToken) {
        return config(store, gateways, gatewayToken, 0);
    }

    private static GatehouseConfig config(StoreConfig store, boolean gateways, String gatewayToken, int port) {
        return new GatehouseConfig("127.0.0.1", port, 0, 0, null, null, null, store, ADMIN_PASSWORD, true,
                Duration.ofMillis(100), Duration.ofMillis(100), gateways, gatewayToken, ANALYTICS, MASTER_KEY);
    }

    String url(String path) {
        return publicUrl + path;
    }

    String api(String path) {
        return publicUrl + "/api" + path;
    }

    String gateway(Environment environment, String path) {
        return "http://127.0.0.1:" + gatehouse.gatewayPort(environment) + path;
    }

    String tokenEndpoint(String org) {
        return url("/t/" + org + "/oauth2/token");
    }

    /** A management-API token for a user, from the built-in identity provider's gatehouse-cli client. */
    String login(String org, String username, String password) {
        Http.Response response = http.form(tokenEndpoint(org), Map.of("grant_type", "password",
                "client_id", "gatehouse-cli", "username", username, "password", password), null, null);
        assertThat(response.status()).as("login of %s: %s", username, response).isEqualTo(200);
        return response.json().getString("access_token");
    }

    /** A management-API token for the operator organization's first admin. */
    String loginOperator() {
        return login(ControlPlaneConfig.DEFAULT_OPERATOR_ORGANIZATION, Bootstrap.ADMIN_USERNAME, ADMIN_PASSWORD);
    }

    String loginDemo(String username) {
        return login(DemoData.ORG, username, DemoData.password(username));
    }

    JsonObject created(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json();
    }

    JsonObject ok(Http.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json();
    }

    /** An application of the demo organization, with keys generated in the built-in identity provider. */
    record Keys(String appUrl, String clientId, String secret) {
    }

    /** Creates an application, subscribes it to the demo's Orders API if asked, and generates its keys. */
    Keys demoApplication(String subscriberToken, String name, String keyType, boolean subscribe) {
        JsonObject app = created(http.post(api("/orgs/acme/applications"), subscriberToken,
                new JsonObject().put("name", name)));
        String appUrl = api("/orgs/acme/applications/" + app.getString("id"));
        if (subscribe) {
            String ordersApiId = http.get(api("/orgs/acme/apis"), subscriberToken).array().getJsonObject(0)
                    .getString("id");
            created(http.post(appUrl + "/subscriptions", subscriberToken, new JsonObject().put("apiId", ordersApiId)));
        }
        JsonObject keys = created(http.post(appUrl + "/credentials/generate", subscriberToken, new JsonObject()
                .put("keyType", keyType).put("grantTypes", new JsonArray().add("client_credentials"))));
        assertThat(keys.getString("tokenEndpoint")).isEqualTo(tokenEndpoint("acme"));
        return new Keys(appUrl, keys.getString("clientId"), keys.getString("clientSecret"));
    }

    /**
     * An application of the demo organization subscribed to the Orders API, whose production credentials are a client
     * the admin registered in the built-in identity provider for opaque access tokens.
     */
    Keys opaqueApplication(String subscriberToken, String name) {
        JsonObject client = created(http.post(api("/orgs/acme/idp/applications"), loginDemo(DemoData.ADMIN),
                new JsonObject().put("name", name + " client").put("accessTokenType", "Opaque")
                        .put("grantTypes", new JsonArray().add("client_credentials"))
                        .put("authorizedScopes", new JsonArray().add("urn:acme:orders:read"))));
        assertThat(client.getString("accessTokenType")).isEqualTo("Opaque");
        JsonObject app = created(http.post(api("/orgs/acme/applications"), subscriberToken,
                new JsonObject().put("name", name)));
        String appUrl = api("/orgs/acme/applications/" + app.getString("id"));
        String ordersApiId = http.get(api("/orgs/acme/apis"), subscriberToken).array().getJsonObject(0).getString("id");
        created(http.post(appUrl + "/subscriptions", subscriberToken, new JsonObject().put("apiId", ordersApiId)));
        created(http.post(appUrl + "/credentials", subscriberToken, new JsonObject().put("keyType", "production")
                .put("clientId", client.getString("clientId"))));
        return new Keys(appUrl, client.getString("clientId"), client.getString("clientSecret"));
    }

    /** A client-credentials token for the keys, with the Orders API's read scope. */
    String ordersReadToken(Keys keys) {
        Http.Response response = http.form(tokenEndpoint("acme"), Map.of("grant_type", "client_credentials",
                "scope", "urn:acme:orders:read"), keys.clientId(), keys.secret());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.json().getString("access_token");
    }

    /** Creates, deploys, publishes and promotes an API served by the demo backend; returns it as created. */
    JsonObject publishedApi(String publisherToken, String name, String context, JsonArray permissions,
                            JsonArray resources) {
        return publishedApi(publisherToken, name, context, permissions, resources, url(DemoBackend.PATH));
    }

    /** Creates, deploys, publishes and promotes an API served by {@code backend}; returns it as created. */
    JsonObject publishedApi(String publisherToken, String name, String context, JsonArray permissions,
                            JsonArray resources, String backend) {
        JsonObject api = created(http.post(api("/orgs/acme/apis"), publisherToken, new JsonObject()
                .put("name", name).put("version", "v1").put("context", context)
                .put("backends", new JsonObject().put("production", backend).put("development", backend))
                .put("permissions", permissions).put("resources", resources)));
        String base = api("/orgs/acme/apis/" + api.getString("id"));
        created(http.post(base + "/deployments", publisherToken, new JsonObject().put("environment", "development")));
        ok(http.post(base + "/lifecycle", publisherToken, new JsonObject().put("state", "published")));
        created(http.post(base + "/promotions", publisherToken,
                new JsonObject().put("from", "development").put("to", "production")));
        return api;
    }

    static JsonObject resource(String method, String path, String... permissions) {
        return new JsonObject().put("method", method).put("path", path).put("permissions", new JsonArray(java.util.List.of((Object[]) permissions)));
    }

    static JsonObject permission(String value) {
        return new JsonObject().put("value", value);
    }

    @Override
    public void close() {
        if (gatehouse != null) {
            gatehouse.close();
        }
    }
}
