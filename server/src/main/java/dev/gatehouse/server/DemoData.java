package dev.gatehouse.server;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Store;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The demo: organization {@code acme} with an admin, a publisher and a subscriber allowed to read orders, its
 * {@code Orders} API deployed, published and promoted; and organization {@code accounts}, whose built-in
 * identity provider stands in for an external one such as Asgardeo in the quickstart. The users are made in
 * the store; the API is made the way a publisher would, through the management API, so the demo takes the
 * same path as everyone else. Seeded once: a store that has {@code acme} is left as it is.
 */
final class DemoData {

    static final String ORG = "acme";
    static final String EXTERNAL_ORG = "accounts";
    static final String ADMIN = "ada";
    static final String PUBLISHER = "pat";
    static final String SUBSCRIBER = "alice";
    static final String EXTERNAL_ADMIN = "root";

    static String password(String username) {
        return username + "-demo-password";
    }

    private final Store store;
    private final BuiltInIdentityProvider identity;
    private final HttpClient http = HttpClient.newHttpClient();

    DemoData(Store store, BuiltInIdentityProvider identity) {
        this.store = store;
        this.identity = identity;
    }

    /** Seeds the demo through the control plane listening at {@code publicUrl}. */
    void seed(String publicUrl) {
        String backendUrl = publicUrl + DemoBackend.PATH;
        if (store.read(tx -> tx.organizations().findByHandle(ORG).isPresent())) {
            return;
        }
        store.write(tx -> {
            Organization acme = tx.organizations().create(ORG, "ACME Corporation");
            identity.provisionOrganization(tx, acme);
            tx.roles().create(acme.id(), "orders-reader", Set.of("urn:acme:orders:read"));
            identity.createUser(tx, acme.id(), ADMIN, password(ADMIN), Set.of(Role.ADMIN));
            identity.createUser(tx, acme.id(), PUBLISHER, password(PUBLISHER), Set.of(Role.PUBLISHER));
            identity.createUser(tx, acme.id(), SUBSCRIBER, password(SUBSCRIBER),
                    Set.of(Role.SUBSCRIBER, "orders-reader"));
            Organization accounts = tx.organizations().create(EXTERNAL_ORG, "Accounts (stands in for Asgardeo)");
            identity.provisionOrganization(tx, accounts);
            identity.createUser(tx, accounts.id(), EXTERNAL_ADMIN, password(EXTERNAL_ADMIN), Set.of(Role.ADMIN));
            return acme;
        });
        String token = managementToken(ORG, PUBLISHER);
        String base = publicUrl + "/api/orgs/" + ORG;
        JsonObject api = call(token, base + "/apis", new JsonObject()
                .put("name", "Orders")
                .put("version", "v1")
                .put("context", "/orders")
                .put("description", "Place and track orders.")
                .put("backends", new JsonObject().put("production", backendUrl).put("development", backendUrl))
                .put("permissions", new JsonArray()
                        .add(new JsonObject().put("value", "read").put("description", "Read orders"))
                        .add(new JsonObject().put("value", "write").put("description", "Place orders")))
                .put("resources", new JsonArray()
                        .add(resource("GET", "/orders", "read"))
                        .add(resource("GET", "/orders/{id}", "read"))
                        .add(resource("POST", "/orders", "write"))));
        String apiUrl = base + "/apis/" + api.getString("id");
        call(token, apiUrl + "/deployments", new JsonObject().put("environment", "development"));
        call(token, apiUrl + "/lifecycle", new JsonObject().put("state", "published"));
        call(token, apiUrl + "/promotions", new JsonObject().put("from", "development").put("to", "production"));
    }

    private static JsonObject resource(String method, String path, String permission) {
        return new JsonObject().put("method", method).put("path", path).put("permissions", new JsonArray().add(permission));
    }

    private String managementToken(String org, String username) {
        String form = "grant_type=password&client_id=gatehouse-cli&username=" + username + "&password="
                + URLEncoder.encode(password(username), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(identity.endpoints(org).tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        return send(request).getString("access_token");
    }

    private JsonObject call(String token, String url, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build());
    }

    private JsonObject send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new IllegalStateException("demo seeding failed: " + request.method() + " " + request.uri()
                        + " answered " + response.statusCode() + " " + response.body());
            }
            return new JsonObject(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("demo seeding failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while seeding the demo", e);
        }
    }
}
