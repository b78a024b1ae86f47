package dev.gatehouse.controlplane;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.Endpoints;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.Deployment;
import dev.gatehouse.model.api.Permission;
import dev.gatehouse.model.api.Resource;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.consumer.Credential;
import dev.gatehouse.model.consumer.Subscription;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The JSON shapes the management API answers with; one place, so every operation shows a thing the same way. */
final class Views {

    private final ControlPlaneConfig config;
    private final BuiltInIdentityProvider identity;

    Views(ControlPlaneConfig config, BuiltInIdentityProvider identity) {
        this.config = config;
        this.identity = identity;
    }

    static <T> JsonArray array(Collection<T> items, Function<T, Object> view) {
        JsonArray array = new JsonArray();
        items.forEach(item -> array.add(view.apply(item)));
        return array;
    }

    static JsonArray strings(Collection<String> values) {
        return new JsonArray(values.stream().sorted().map(v -> (Object) v).toList());
    }

    JsonObject organization(Organization org) {
        return new JsonObject()
                .put("id", org.id())
                .put("handle", org.handle())
                .put("name", org.name())
                .put("tokenEndpoint", tokenEndpoint(org))
                .put("createdAt", org.createdAt().toString());
    }

    /** The organization's built-in token endpoint. */
    String tokenEndpoint(Organization org) {
        return identity.endpoints(org.handle()).tokenEndpoint();
    }

    JsonObject api(Organization org, Api api, List<Deployment> deployments) {
        JsonObject backends = new JsonObject();
        api.backends().forEach((env, url) -> {
            if (url != null) {
                backends.put(env.wireName(), url);
            }
        });
        return new JsonObject()
                .put("id", api.id())
                .put("name", api.name())
                .put("handle", api.handle())
                .put("version", api.version())
                .put("context", api.context())
                .put("description", api.description())
                .put("lifecycle", api.lifecycle().wireName())
                .put("nextLifecycleStates", strings(api.lifecycle().next().stream().map(Lifecycle::wireName).toList()))
                .put("backends", backends)
                .put("forwardAuthorization", api.forwardAuthorization())
                .put("corsOrigins", new JsonArray(api.corsOrigins().stream().sorted().toList()))
                .put("permissions", array(api.permissions(), p -> permission(org, api, p)))
                .put("resources", array(api.resources(), r -> resource(org, api, r)))
                .put("deployments", array(deployments, d -> deployment(org, api, d)))
                .put("createdAt", api.createdAt().toString())
                .put("updatedAt", api.updatedAt().toString());
    }

    JsonObject permission(Organization org, Api api, Permission permission) {
        return new JsonObject()
                .put("value", permission.value())
                .put("description", permission.description())
                .put("scope", Scopes.qualified(org.handle(), api.handle(), permission.value()));
    }

    JsonObject resource(Organization org, Api api, Resource resource) {
        return new JsonObject()
                .put("id", resource.id())
                .put("method", resource.method())
                .put("path", resource.path())
                .put("permissions", strings(resource.permissions()))
                .put("scopes", strings(resource.permissions().stream()
                        .map(p -> Scopes.qualified(org.handle(), api.handle(), p)).toList()));
    }

    JsonObject deployment(Organization org, Api api, Deployment deployment) {
        return new JsonObject()
                .put("environment", deployment.environment().wireName())
                .put("revision", deployment.revisionNumber())
                .put("deployedAt", deployment.deployedAt().toString())
                .put("url", invocationUrl(org, api, deployment.environment()));
    }

    String invocationUrl(Organization org, Api api, Environment environment) {
        return config.gatewayUrls().get(environment) + "/" + org.handle() + api.context() + "/" + api.version();
    }

    /** @param jwks the provider's key-set status, {@link JwksStatus.Check#toJson()} */
    JsonObject identityProvider(Organization org, IdentityProvider idp, JsonObject jwks) {
        JsonObject json = new JsonObject()
                .put("id", idp.id())
                .put("name", idp.name())
                .put("type", idp.builtIn() ? "built-in" : "external");
        if (idp.builtIn()) {
            Endpoints endpoints = identity.endpoints(org.handle());
            json.put("issuer", endpoints.issuer())
                    .put("jwksUri", endpoints.jwksUri())
                    .put("tokenEndpoint", endpoints.tokenEndpoint())
                    .put("discoveryUrl", endpoints.discoveryUrl());
        } else {
            json.put("issuer", idp.issuer())
                    .put("jwksUri", idp.jwksUri())
                    .put("tokenEndpoint", idp.tokenEndpoint())
                    .put("discoveryUrl", idp.discoveryUrl());
        }
        return json
                .put("claims", new JsonObject()
                        .put("clientId", new JsonArray(List.copyOf(idp.claims().clientIdClaims())))
                        .put("scope", idp.claims().scopeClaim()))
                .put("audience", idp.audience())
                .put("jwks", jwks)
                .put("createdAt", idp.createdAt().toString());
    }

    /** The token endpoint consumers get tokens from for a credential of this provider; null when unknown. */
    String tokenEndpoint(Organization org, IdentityProvider idp) {
        return idp.builtIn() ? tokenEndpoint(org) : idp.tokenEndpoint();
    }

    JsonObject application(Application app) {
        return new JsonObject()
                .put("id", app.id())
                .put("name", app.name())
                .put("description", app.description())
                .put("ownerId", app.ownerId())
                .put("createdAt", app.createdAt().toString());
    }

    JsonObject credential(Organization org, Credential credential, Map<String, IdentityProvider> providers) {
        IdentityProvider idp = providers.get(credential.idpId());
        return new JsonObject()
                .put("id", credential.id())
                .put("keyType", credential.keyType().wireName())
                .put("identityProvider", new JsonObject().put("id", idp.id()).put("name", idp.name()))
                .put("clientId", credential.clientId())
                .put("tokenEndpoint", tokenEndpoint(org, idp))
                .put("environment", credential.keyType() == Environment.PRODUCTION.acceptedKeyType()
                        ? Environment.PRODUCTION.wireName() : Environment.DEVELOPMENT.wireName())
                .put("createdAt", credential.createdAt().toString());
    }

    JsonObject subscription(Subscription subscription, Api api) {
        return new JsonObject()
                .put("id", subscription.id())
                .put("apiId", subscription.apiId())
                .put("apiName", api == null ? null : api.name())
                .put("apiVersion", api == null ? null : api.version())
                .put("tier", subscription.tier())
                .put("status", subscription.status().wireName())
                .put("createdAt", subscription.createdAt().toString());
    }
}
