package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.RateLimit;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * An organization's rate-limit tiers (every member sees them, admins add their own), and the tiers of APIs and resources
 * (set by publishers: all calls to the API, from any application) and of whole applications (set by their owners:
 * all the application's calls, to any API), beside each subscription's tier.
 */
final class TierOperations {

    private final Store store;

    TierOperations(Store store) {
        this.store = store;
    }

    Map<String, Operation> operations() {
        return Map.of(
                "listTiers", this::list,
                "createTier", this::create,
                "getApiTier", this::apiTier,
                "setApiTier", this::setApiTier,
                "getResourceTier", this::resourceTier,
                "setResourceTier", this::setResourceTier,
                "getApplicationTier", this::applicationTier,
                "setApplicationTier", this::setApplicationTier);
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

    private Reply apiTier(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(new JsonObject().put("tier", tx.apis().tier(api.id())));
        });
    }

    private Reply setApiTier(Request request) {
        String tier = request.body().getString("tier");
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            request.caller().require(org, Role.PUBLISHER);
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            requireTier(tx, org, tier);
            tx.apis().setTier(api.id(), tier);
            return Reply.ok(new JsonObject().put("tier", tier));
        });
    }

    private Reply resourceTier(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            return Reply.ok(new JsonObject().put("tier", tx.apis().resourceTier(api.id(), request.path("resourceId"))
                    .orElseThrow(() -> noResource(request))));
        });
    }

    private Reply setResourceTier(Request request) {
        String tier = request.body().getString("tier");
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            request.caller().require(org, Role.PUBLISHER);
            Api api = Lookups.api(tx, request.caller(), org, request.path("apiId"));
            requireTier(tx, org, tier);
            if (!tx.apis().setResourceTier(api.id(), request.path("resourceId"), tier)) {
                throw noResource(request);
            }
            return Reply.ok(new JsonObject().put("tier", tier));
        });
    }

    private static Problem noResource(Request request) {
        return Problem.notFound("the API has no resource '" + request.path("resourceId") + "'");
    }

    private Reply applicationTier(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            return Reply.ok(new JsonObject().put("tier", tx.applications().tier(app.id())));
        });
    }

    private Reply setApplicationTier(Request request) {
        String tier = request.body().getString("tier");
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            requireTier(tx, org, tier);
            tx.applications().setTier(app.id(), tier);
            return Reply.ok(new JsonObject().put("tier", tier));
        });
    }

    /** Refuses with 400 naming {@code tier} unless the organization has a tier of that name. */
    static void requireTier(Repositories tx, Organization org, String tier) {
        try {
            Tiers.limit(tx, org.id(), tier);
        } catch (NoSuchElementException e) {
            throw Problem.invalid("tier", "organization '" + org.handle() + "' has no tier '" + tier + "'");
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
