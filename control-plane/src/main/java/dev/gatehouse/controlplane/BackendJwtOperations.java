package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.controlplane.snapshot.GatewaySigningKeys;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.store.Store;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Whether an API's backend gets a JWT with the caller's claims, signed by the gateway, and in which header; and
 * where backends find the keys to verify it with.
 */
final class BackendJwtOperations {

    static final String DEFAULT_HEADER = "X-JWT-Assertion";

    private final Store store;
    private final GatewaySigningKeys keys;

    BackendJwtOperations(Store store, GatewaySigningKeys keys) {
        this.store = store;
        this.keys = keys;
    }

    Map<String, Operation> operations() {
        return Map.of("getBackendJwt", this::get, "setBackendJwt", this::set);
    }

    private Reply get(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(view(tx.apis().backendJwtHeader(api.id()).orElse(null)));
        });
    }

    private Reply set(Request request) {
        boolean enabled = request.body().getBoolean("enabled");
        String header = enabled ? request.body().getString("header", DEFAULT_HEADER) : null;
        ReservedHeaders.refuse(header);
        return store.write(tx -> {
            Api api = Lookups.apiToChange(tx, request);
            tx.apis().setBackendJwtHeader(api.id(), header);
            return Reply.ok(view(header));
        });
    }

    private JsonObject view(String header) {
        return new JsonObject()
                .put("enabled", header != null)
                .put("header", header)
                .put("issuer", keys.issuer())
                .put("jwksUri", keys.jwksUri());
    }
}
