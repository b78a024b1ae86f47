package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.ClientRegistration;
import dev.gatehouse.identity.RegisteredClient;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.consumer.Credential;
import dev.gatehouse.model.consumer.Subscription;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The developer portal's operations: applications, their production and sandbox credentials (a client ID of
 * an identity provider, linked or generated in the built-in one), and their subscriptions to APIs.
 *
 * <p>Keys generated in the built-in identity provider are authorized for the scopes of the APIs the
 * application is subscribed to; subscribing to another API widens them.
 */
final class ApplicationOperations {

    private final Store store;
    private final BuiltInIdentityProvider identity;
    private final Views views;

    ApplicationOperations(Store store, BuiltInIdentityProvider identity, Views views) {
        this.store = store;
        this.identity = identity;
        this.views = views;
    }

    Map<String, Operation> operations() {
        return Map.ofEntries(
                Map.entry("listApplications", this::listApplications),
                Map.entry("createApplication", this::createApplication),
                Map.entry("getApplication", this::getApplication),
                Map.entry("deleteApplication", this::deleteApplication),
                Map.entry("listCredentials", this::listCredentials),
                Map.entry("linkCredential", this::linkCredential),
                Map.entry("generateCredential", this::generateCredential),
                Map.entry("unlinkCredential", this::unlinkCredential),
                Map.entry("listSubscriptions", this::listSubscriptions),
                Map.entry("subscribe", this::subscribe),
                Map.entry("updateSubscription", this::updateSubscription),
                Map.entry("unsubscribe", this::unsubscribe));
    }

    private Reply listApplications(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            List<Application> apps = request.caller().hasRole(org, Role.ADMIN)
                    ? tx.applications().list(org.id())
                    : tx.applications().listOwnedBy(org.id(), request.caller().user().id());
            return Reply.ok(Views.array(apps, views::application));
        });
    }

    private Reply createApplication(Request request) {
        String name = request.body().getString("name");
        try {
            return store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                request.caller().require(org, Role.SUBSCRIBER);
                Application app = tx.applications().create(org.id(), name,
                        request.body().getString("description", ""), request.caller().user().id());
                return Reply.created(views.application(app));
            });
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("applications_name_key")) {
                throw Problem.conflict("name", "you already have an application named '" + name + "'");
            }
            throw conflict;
        }
    }

    private Reply getApplication(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            return Reply.ok(views.application(app)
                    .put("credentials", credentials(tx, org, app))
                    .put("subscriptions", subscriptions(tx, org, app)));
        });
    }

    private Reply deleteApplication(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            tx.applications().delete(org.id(), app.id());
            return Reply.noContent();
        });
    }

    private Reply listCredentials(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            return Reply.ok(credentials(tx, org, app));
        });
    }

    private Reply linkCredential(Request request) {
        JsonObject body = request.body();
        KeyType keyType = KeyType.fromWireName(body.getString("keyType"));
        String clientId = body.getString("clientId");
        try {
            return store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
                IdentityProvider idp = identityProvider(tx, org, body.getString("identityProvider"));
                if (idp.builtIn() && tx.oauthClients().findByClientId(org.id(), clientId).isEmpty()) {
                    throw Problem.invalid("clientId",
                            "the built-in identity provider has no application with client ID '" + clientId + "'");
                }
                Credential credential = tx.credentials().create(app.id(), keyType, idp.id(), clientId);
                return Reply.created(views.credential(org, credential, Map.of(idp.id(), idp)));
            });
        } catch (StoreConflictException conflict) {
            throw credentialConflict(conflict, clientId, keyType);
        }
    }

    private Reply generateCredential(Request request) {
        KeyType keyType = KeyType.fromWireName(request.body().getString("keyType"));
        Set<String> grantTypes = ApiOperations.strings(request.body().getJsonArray("grantTypes"));
        try {
            return store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
                IdentityProvider builtIn = tx.identityProviders().builtIn(org.id()).orElseThrow();
                RegisteredClient registered = identity.registerClient(tx, org.id(), new ClientRegistration(
                        app.name() + " (" + keyType.wireName() + ")",
                        grantTypes.isEmpty() ? Set.of("client_credentials") : grantTypes,
                        subscribedScopes(tx, org, app), true, null));
                Credential credential = tx.credentials().create(app.id(), keyType, builtIn.id(),
                        registered.client().clientId());
                return Reply.created(views.credential(org, credential, Map.of(builtIn.id(), builtIn))
                        .put("clientSecret", registered.clientSecret()));
            });
        } catch (StoreConflictException conflict) {
            throw credentialConflict(conflict, null, keyType);
        }
    }

    private Reply unlinkCredential(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            if (!tx.credentials().delete(app.id(), request.path("credentialId"))) {
                throw Problem.notFound("the application has no credential '" + request.path("credentialId") + "'");
            }
            return Reply.noContent();
        });
    }

    private Reply listSubscriptions(Request request) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            return Reply.ok(subscriptions(tx, org, app));
        });
    }

    private Reply subscribe(Request request) {
        String apiId = request.body().getString("apiId");
        String tier = request.body().getString("tier", Tiers.UNLIMITED);
        try {
            return store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
                Api api = tx.apis().find(org.id(), apiId)
                        .filter(found -> found.lifecycle().subscribable())
                        .orElseThrow(() -> Problem.invalid("apiId", "no published API '" + apiId + "'"));
                TierOperations.requireTier(tx, org, tier);
                Subscription subscription = tx.subscriptions().create(app.id(), api.id(), tier);
                widenGeneratedKeys(tx, org, app);
                return Reply.created(views.subscription(subscription, api));
            });
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("subscriptions_api_key")) {
                throw Problem.conflict("apiId", "the application is already subscribed to this API");
            }
            throw conflict;
        }
    }

    private Reply updateSubscription(Request request) {
        Subscription.Status status = Subscription.Status.fromWireName(request.body().getString("status"));
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            request.caller().require(org, Role.PUBLISHER);
            Application app = tx.applications().find(org.id(), request.path("appId"))
                    .orElseThrow(() -> Problem.notFound("no application '" + request.path("appId") + "'"));
            Subscription subscription = tx.subscriptions().find(app.id(), request.path("subscriptionId"))
                    .orElseThrow(() -> Problem.notFound("no subscription '" + request.path("subscriptionId") + "'"));
            tx.subscriptions().setStatus(subscription.id(), status);
            Subscription updated = new Subscription(subscription.id(), subscription.applicationId(),
                    subscription.apiId(), subscription.tier(), status, subscription.createdAt());
            return Reply.ok(views.subscription(updated, tx.apis().find(org.id(), subscription.apiId()).orElse(null)));
        });
    }

    private Reply unsubscribe(Request request) {
        return store.write(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            Application app = Lookups.application(tx, request.caller(), org, request.path("appId"));
            if (!tx.subscriptions().delete(app.id(), request.path("subscriptionId"))) {
                throw Problem.notFound("no subscription '" + request.path("subscriptionId") + "'");
            }
            return Reply.noContent();
        });
    }

    private io.vertx.core.json.JsonArray credentials(Repositories tx, Organization org, Application app) {
        Map<String, IdentityProvider> providers = tx.identityProviders().list(org.id()).stream()
                .collect(Collectors.toMap(IdentityProvider::id, Function.identity()));
        return Views.array(tx.credentials().list(app.id()), c -> views.credential(org, c, providers));
    }

    private io.vertx.core.json.JsonArray subscriptions(Repositories tx, Organization org, Application app) {
        return Views.array(tx.subscriptions().list(app.id()),
                s -> views.subscription(s, tx.apis().find(org.id(), s.apiId()).orElse(null)));
    }

    private static IdentityProvider identityProvider(Repositories tx, Organization org, String idpId) {
        if (idpId == null) {
            return tx.identityProviders().builtIn(org.id()).orElseThrow();
        }
        return tx.identityProviders().find(org.id(), idpId)
                .orElseThrow(() -> Problem.invalid("identityProvider", "no identity provider '" + idpId + "'"));
    }

    /** The fully qualified scopes of every API the application is subscribed to. */
    private static Set<String> subscribedScopes(Repositories tx, Organization org, Application app) {
        Set<String> scopes = new LinkedHashSet<>();
        for (Subscription subscription : tx.subscriptions().list(app.id())) {
            tx.apis().find(org.id(), subscription.apiId()).ifPresent(api -> api.permissions()
                    .forEach(p -> scopes.add(Scopes.qualified(org.handle(), api.handle(), p.value()))));
        }
        return scopes;
    }

    /** Authorizes the application's built-in keys for the scopes of every API it is subscribed to. */
    private static void widenGeneratedKeys(Repositories tx, Organization org, Application app) {
        IdentityProvider builtIn = tx.identityProviders().builtIn(org.id()).orElseThrow();
        Set<String> scopes = subscribedScopes(tx, org, app);
        for (Credential credential : tx.credentials().list(app.id())) {
            if (credential.idpId().equals(builtIn.id())) {
                tx.oauthClients().findByClientId(org.id(), credential.clientId()).ifPresent(client -> {
                    Set<String> widened = new HashSet<>(client.authorizedScopes());
                    widened.addAll(scopes);
                    tx.oauthClients().updateAuthorizedScopes(org.id(), client.clientId(), widened);
                });
            }
        }
    }

    private static RuntimeException credentialConflict(StoreConflictException conflict, String clientId, KeyType keyType) {
        return switch (conflict.constraint()) {
            case "credentials_client_id_key" -> Problem.conflict("clientId",
                    "the client ID '" + clientId + "' is already linked to an application; a client ID can be used "
                            + "in one application only");
            case "credentials_key_type_key" -> Problem.conflict("keyType", "the application already has "
                    + keyType.wireName() + " credentials from this identity provider");
            default -> conflict;
        };
    }
}
