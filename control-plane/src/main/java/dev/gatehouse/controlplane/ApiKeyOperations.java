package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.ApiKey;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.store.Store;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * API keys, a second kind of credential beside OAuth client IDs: which APIs take them, in which header (their
 * publishers decide), and each application's production and sandbox keys (their owners make and revoke them). A
 * key is shown once, when it is made; afterwards only its first characters are.
 */
final class ApiKeyOperations {

    static final String DEFAULT_HEADER = "apikey";

    private final Store store;

    ApiKeyOperations(Store store) {
        this.store = store;
    }

    Map<String, Operation> operations() {
        return Map.of(
                "getApiKeyAccess", this::access,
                "setApiKeyAccess", this::setAccess,
                "listApiKeys", this::list,
                "createApiKey", this::create,
                "revokeApiKey", this::revoke);
    }

    private Reply access(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(accessView(tx.apis().apiKeyHeader(api.id()).orElse(null)));
        });
    }

    private Reply setAccess(Request request) {
        boolean enabled = request.body().getBoolean("enabled");
        String header = enabled ? request.body().getString("header", DEFAULT_HEADER) : null;
        ReservedHeaders.refuse(header);
        return store.write(tx -> {
            Api api = Lookups.apiToChange(tx, request);
            tx.apis().setApiKeyHeader(api.id(), header);
            return Reply.ok(accessView(header));
        });
    }

    private static JsonObject accessView(String header) {
        return new JsonObject().put("enabled", header != null).put("header", header);
    }

    private Reply list(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            return Reply.ok(Views.array(tx.apiKeys().list(app.id()), ApiKeyOperations::view));
        });
    }

    private Reply create(Request request) {
        KeyType keyType = KeyType.fromWireName(request.body().getString("keyType"));
        String name = request.body().getString("name", keyType.wireName() + " key");
        String key = ApiKey.newKey();
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            ApiKey created = tx.apiKeys().create(app.id(), name, keyType, key);
            return Reply.created(view(created).put("key", key));
        });
    }

    private Reply revoke(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            if (!tx.apiKeys().delete(app.id(), request.path("keyId"))) {
                throw Problem.notFound("no API key '" + request.path("keyId") + "'");
            }
            return Reply.noContent();
        });
    }

    private static JsonObject view(ApiKey key) {
        return new JsonObject()
                .put("id", key.id())
                .put("name", key.name())
                .put("keyType", key.keyType().wireName())
                .put("prefix", key.prefix())
                .put("createdAt", key.createdAt().toString());
    }
}
