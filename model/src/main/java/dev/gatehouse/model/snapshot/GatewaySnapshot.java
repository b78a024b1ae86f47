package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.Environment;
import java.util.List;
import java.util.Objects;

/**
 * Everything one environment's gateway needs to decide on a call, and nothing more: the APIs deployed there,
 * the issuers it trusts, the client IDs and API keys of applications, the subscriptions, and the access tokens
 * revoked before their expiry. The control plane builds it from the store; the gateway compiles it into lookup tables and serves from it without touching the store.
 *
 * @param version     increases with every configuration change; a gateway ignores a snapshot older than its own
 * @param environment the environment this snapshot is for
 * @param revokedTokens tokens to refuse although valid; none when absent, as in snapshots saved by older gateways
 * @param backendSigningKey the key to sign backend JWTs with; null when no API asks for them
 * @param apiKeys     the applications' API keys, by digest; none when absent, as in snapshots of older versions
 */
public record GatewaySnapshot(
        long version,
        Environment environment,
        List<RoutedApi> apis,
        List<TrustedIssuer> issuers,
        List<ClientBinding> clients,
        List<SubscriptionGrant> subscriptions,
        List<RevokedToken> revokedTokens,
        BackendSigningKey backendSigningKey,
        List<ApiKeyBinding> apiKeys) {

    public GatewaySnapshot {
        Objects.requireNonNull(environment, "environment");
        apis = List.copyOf(apis);
        issuers = List.copyOf(issuers);
        clients = List.copyOf(clients);
        subscriptions = List.copyOf(subscriptions);
        revokedTokens = revokedTokens == null ? List.of() : List.copyOf(revokedTokens);
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    /** A snapshot in which no token is revoked. */
    public GatewaySnapshot(long version, Environment environment, List<RoutedApi> apis, List<TrustedIssuer> issuers,
                           List<ClientBinding> clients, List<SubscriptionGrant> subscriptions) {
        this(version, environment, apis, issuers, clients, subscriptions, List.of(), null, List.of());
    }

    public static GatewaySnapshot empty(Environment environment) {
        return new GatewaySnapshot(0, environment, List.of(), List.of(), List.of(), List.of(), List.of(), null,
                List.of());
    }
}
