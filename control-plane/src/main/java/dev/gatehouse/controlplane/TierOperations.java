package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.RateLimit;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;

/** An organization's rate-limit tiers: every member sees them, admins add their own. */
final class TierOperations {

    private final Store store;

    TierOperations(Store store) {
        this.store = store;
    }

    Map<String, Operation> operations() {
        return Map.of("listTiers", this::list, "createTier", this::create);
    }

    private Reply list(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            JsonArray tiers = new JsonArray().add(new JsonObject().put("name", Tiers.UNLIMITED).put("builtIn", true));
            Tiers.BUILT_IN.forEach(tier -> tiers.add(view(tier, true)));
            tx.tiers().list(org.id()).forEach(tier -> tiers.add(view(tier, false)));
            return Reply.ok(tiers);
        });
    }

    private Reply create(Request request) {
        JsonObject body = request.body();
        String name = body.getString("name");
        if (Tiers.isBuiltIn(name)) {
            throw Problem.conflict("name", "'" + name + "' is a built-in tier");
        }
        long requests = body.getLong("requests");
        RateLimit tier;
        try {
            tier = new RateLimit(name, requests, Duration.ofSeconds(body.getLong("windowSeconds")),
                    body.getLong("burst", requests));
        } catch (IllegalArgumentException e) {
            throw Problem.invalidArgument(e.getMessage());
        }
        try {
            return store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                request.caller().require(org, Role.ADMIN);
                return Reply.created(view(tx.tiers().create(org.id(), tier), false));
            });
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("rate_limit_tiers_pkey")) {
                throw Problem.conflict("name", "the organization already has a tier named '" + name + "'");
            }
            throw conflict;
        }
    }

    private static JsonObject view(RateLimit tier, boolean builtIn) {
        return new JsonObject()
                .put("name", tier.policy())
                .put("requests", tier.requests())
                .put("windowSeconds", tier.window().toSeconds())
                .put("burst", tier.burst())
                .put("builtIn", builtIn);
    }
}
