package dev.gatehouse.controlplane;

import dev.gatehouse.controlplane.http.Operation;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.controlplane.http.Reply;
import dev.gatehouse.controlplane.http.Request;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConflictException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The identity providers an organization trusts: its built-in one, and external ones (Asgardeo, Keycloak,
 * any OpenID provider) registered by discovery URL or by issuer and JWKS URI, with where their tokens carry
 * the client ID and the scopes, and whether their key sets can be read ({@link JwksStatus}).
 */
final class IdentityProviderOperations {

    private final Store store;
    private final BuiltInIdentityProvider identity;
    private final Views views;
    private final ProviderMetadata metadata;
    private final JwksStatus jwks;

    IdentityProviderOperations(Store store, BuiltInIdentityProvider identity, Views views, ProviderMetadata metadata,
                               JwksStatus jwks) {
        this.store = store;
        this.identity = identity;
        this.views = views;
        this.metadata = metadata;
        this.jwks = jwks;
    }

    Map<String, Operation> operations() {
        return Map.of(
                "listIdentityProviders", this::list,
                "registerIdentityProvider", this::register,
                "getIdentityProvider", this::get,
                "refreshIdentityProviderJwks", this::refreshJwks,
                "deleteIdentityProvider", this::delete);
    }

    /** An organization's providers as read in one transaction, with the count of keys its built-in one publishes. */
    private record Providers(Organization org, List<IdentityProvider> providers, int builtInKeys) {
    }

    private Reply list(Request request) {
        Providers found = store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            return new Providers(org, tx.identityProviders().list(org.id()), builtInKeys(tx, org));
        });
        Map<String, JwksStatus.Check> checks = jwks.current(found.providers().stream()
                .filter(idp -> !idp.builtIn()).toList());
        return Reply.ok(Views.array(found.providers(), idp -> view(found, idp, external -> checks.get(external.id()))));
    }

    private Reply get(Request request) {
        Providers found = one(request, false);
        return Reply.ok(view(found, found.providers().get(0), jwks::current));
    }

    private Reply refreshJwks(Request request) {
        Providers found = one(request, true);
        return Reply.ok(view(found, found.providers().get(0), jwks::refresh));
    }

    /** The provider the request's path names, for an admin if {@code admin}. */
    private Providers one(Request request, boolean admin) {
        return store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            if (admin) {
                request.caller().require(org, Role.ADMIN);
            }
            IdentityProvider idp = tx.identityProviders().find(org.id(), request.path("idpId"))
                    .orElseThrow(() -> Problem.notFound("no identity provider '" + request.path("idpId") + "'"));
            return new Providers(org, List.of(idp), idp.builtIn() ? builtInKeys(tx, org) : 0);
        });
    }

    private int builtInKeys(Repositories tx, Organization org) {
        return identity.signingKeys(tx, org.id()).size();
    }

    /** The provider's view, its key set checked by {@code check} unless it is the built-in one. */
    private JsonObject view(Providers found, IdentityProvider idp, Function<IdentityProvider, JwksStatus.Check> check) {
        JsonObject status = idp.builtIn() ? JwksStatus.builtIn(found.builtInKeys()) : check.apply(idp).toJson();
        return views.identityProvider(found.org(), idp, status);
    }

    private Reply register(Request request) {
        JsonObject body = request.body();
        String name = body.getString("name");
        store.read(tx -> {
            Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
            request.caller().require(org, Role.ADMIN);
            return org;
        });
        String discoveryUrl = body.getString("discoveryUrl");
        String issuer = body.getString("issuer");
        String jwksUri = body.getString("jwksUri");
        String tokenEndpoint = body.getString("tokenEndpoint");
        if (discoveryUrl != null) {
            ProviderMetadata.Metadata found = metadata.fetch("discoveryUrl", discoveryUrl);
            if (issuer != null && !issuer.equals(found.issuer())) {
                throw Problem.invalid("issuer", "differs from the discovery document's issuer '" + found.issuer() + "'");
            }
            issuer = found.issuer();
            jwksUri = jwksUri == null ? found.jwksUri() : jwksUri;
            tokenEndpoint = tokenEndpoint == null ? found.tokenEndpoint() : tokenEndpoint;
        } else if (issuer == null || jwksUri == null) {
            throw Problem.invalid(List.of(
                    new Problem.FieldError("discoveryUrl", "give a discovery URL, or an issuer and a JWKS URI"),
                    new Problem.FieldError(issuer == null ? "issuer" : "jwksUri", "is required without discoveryUrl")));
        }
        ClaimMapping claims = claims(body.getJsonObject("claims"));
        String finalIssuer = issuer;
        String finalJwksUri = jwksUri;
        String finalTokenEndpoint = tokenEndpoint;
        Providers registered;
        try {
            registered = store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                boolean issuerTaken = tx.identityProviders().list(org.id()).stream()
                        .anyMatch(idp -> finalIssuer.equals(idp.issuer()));
                if (issuerTaken) {
                    throw Problem.conflict("issuer", "an identity provider with issuer '" + finalIssuer
                            + "' is already registered");
                }
                IdentityProvider idp = tx.identityProviders().createExternal(org.id(), name, finalIssuer,
                        finalJwksUri, finalTokenEndpoint, discoveryUrl, claims, body.getString("audience"));
                return new Providers(org, List.of(idp), 0);
            });
        } catch (StoreConflictException conflict) {
            if (conflict.constraint().equals("identity_providers_name_key")) {
                throw Problem.conflict("name", "an identity provider named '" + name + "' is already registered");
            }
            throw conflict;
        }
        return Reply.created(view(registered, registered.providers().get(0), jwks::refresh));
    }

    private Reply delete(Request request) {
        Reply deleted;
        try {
            deleted = store.write(tx -> {
                Organization org = Lookups.organization(tx, request.caller(), request.path("org"));
                request.caller().require(org, Role.ADMIN);
                IdentityProvider idp = tx.identityProviders().find(org.id(), request.path("idpId"))
                        .orElseThrow(() -> Problem.notFound("no identity provider '" + request.path("idpId") + "'"));
                if (idp.builtIn()) {
                    throw Problem.conflict("the built-in identity provider cannot be removed");
                }
                tx.identityProviders().delete(org.id(), idp.id());
                return Reply.noContent();
            });
        } catch (StoreConflictException conflict) {
            if (conflict.kind() == StoreConflictException.Kind.REFERENCE) {
                throw Problem.conflict("the identity provider is still linked to application credentials; "
                        + "unlink them first");
            }
            throw conflict;
        }
        jwks.forget(request.path("idpId"));
        return deleted;
    }

    private static ClaimMapping claims(JsonObject json) {
        if (json == null) {
            return ClaimMapping.DEFAULT;
        }
        List<String> clientId = json.containsKey("clientId")
                ? json.getJsonArray("clientId").stream().map(String.class::cast).toList()
                : ClaimMapping.DEFAULT.clientIdClaims();
        return new ClaimMapping(clientId, json.getString("scope", ClaimMapping.DEFAULT.scopeClaim()));
    }
}
