package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.controlplane.snapshot.GatewayFeed;
import dev.gatehouse.model.fleet.GatewayInstance;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Store;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The gateway processes that fetch configuration from the control plane, as operators see them. */
final class FleetOperations {

    private final Store store;

    FleetOperations(Store store) {
        this.store = store;
    }

    Map<String, Operation> operations() {
        return Map.of("listGateways", this::list);
    }

    private Reply list(Request request) {
        if (!request.caller().operator() || !request.caller().user().hasRole(Role.ADMIN)) {
            throw Problem.forbidden("only admins of the operator organization see the gateways");
        }
        return store.read(tx -> Reply.ok(Views.array(
                tx.gatewayInstances().seenSince(store.clock().instant().minus(GatewayFeed.LIVENESS)), FleetOperations::view)));
    }

    private static JsonObject view(GatewayInstance gateway) {
        return new JsonObject()
                .put("id", gateway.id())
                .put("environment", gateway.environment().wireName())
                .put("address", gateway.address())
                .put("snapshotVersion", gateway.snapshotVersion())
                .put("firstSeen", gateway.firstSeen().toString())
                .put("lastSeen", gateway.lastSeen().toString());
    }
}
