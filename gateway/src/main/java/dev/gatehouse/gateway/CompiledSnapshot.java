package dev.gatehouse.gateway;

import dev.gatehouse.gateway.route.RouteTable;
import dev.gatehouse.gateway.security.BackendJwtSigner;
import dev.gatehouse.model.snapshot.ApiKeyBinding;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RevokedToken;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link GatewaySnapshot} compiled into the lookup tables a request needs: the route table, each
 * organization's trusted issuers by {@code iss}, client bindings by identity provider and client ID,
 * subscriptions by application and API, each API's backend, the revoked token IDs by issuer, the signer of
 * backend JWTs (null when the snapshot has no key for them), and applications' API keys by digest (as bindings of
 * the pseudo identity provider {@value #API_KEY_PROVIDER}, whose client IDs are the keys' IDs). Immutable; one request reads one instance
 * throughout, so a snapshot swapped mid-request never mixes two configurations.
 */
record CompiledSnapshot(
        GatewaySnapshot source,
        RouteTable routes,
        Map<String, Map<String, TrustedIssuer>> issuersByOrg,
        Map<ClientKey, ClientBinding> clients,
        Map<SubscriptionKey, SubscriptionGrant> subscriptions,
        Map<String, Backend> backends,
        Set<String> jwksUris,
        Map<String, Set<String>> revokedByIssuer,
        BackendJwtSigner backendJwts,
        Map<String, ClientBinding> apiKeys) {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledSnapshot.class);
    static final String API_KEY_PROVIDER = "api-key";

    /** A client ID is unique within one identity provider. */
    record ClientKey(String idpId, String clientId) {
    }

    record SubscriptionKey(String applicationId, String apiId) {
    }

    long version() {
        return source.version();
    }

    /** @throws IllegalArgumentException if the snapshot's backend signing key is not a usable key */
    static CompiledSnapshot compile(GatewaySnapshot snapshot, Clock clock) {
        Map<String, Map<String, TrustedIssuer>> issuers = new HashMap<>();
        Set<String> jwksUris = new HashSet<>();
        for (TrustedIssuer issuer : snapshot.issuers()) {
            TrustedIssuer previous = issuers.computeIfAbsent(issuer.orgHandle(), org -> new HashMap<>())
                    .putIfAbsent(issuer.issuer(), issuer);
            if (previous != null) {
                LOG.warn("organization {} registers issuer {} twice; identity provider {} is ignored",
                        issuer.orgHandle(), issuer.issuer(), issuer.idpId());
            } else {
                jwksUris.add(issuer.jwksUri());
            }
        }
        Map<String, Map<String, TrustedIssuer>> frozenIssuers = new HashMap<>();
        issuers.forEach((org, byIss) -> frozenIssuers.put(org, Map.copyOf(byIss)));

        Map<ClientKey, ClientBinding> clients = new HashMap<>();
        for (ClientBinding binding : snapshot.clients()) {
            ClientBinding previous = clients.putIfAbsent(new ClientKey(binding.idpId(), binding.clientId()), binding);
            if (previous != null) {
                LOG.warn("client ID {} of identity provider {} is linked twice; application {} is ignored",
                        binding.clientId(), binding.idpId(), binding.applicationId());
            }
        }

        Map<SubscriptionKey, SubscriptionGrant> subscriptions = new HashMap<>();
        for (SubscriptionGrant grant : snapshot.subscriptions()) {
            subscriptions.merge(new SubscriptionKey(grant.applicationId(), grant.apiId()), grant,
                    (kept, other) -> kept.active() ? kept : other);
        }

        Map<String, Backend> backends = new HashMap<>();
        for (RoutedApi api : snapshot.apis()) {
            backends.putIfAbsent(api.apiId(), Backend.parse(api.backendUrl()));
        }

        Map<String, Set<String>> revoked = new HashMap<>();
        for (RevokedToken token : snapshot.revokedTokens()) {
            revoked.computeIfAbsent(token.issuer(), issuer -> new HashSet<>()).add(token.tokenId());
        }
        Map<String, Set<String>> frozenRevoked = new HashMap<>();
        revoked.forEach((issuer, tokenIds) -> frozenRevoked.put(issuer, Set.copyOf(tokenIds)));

        Map<String, ClientBinding> apiKeys = new HashMap<>();
        for (ApiKeyBinding key : snapshot.apiKeys()) {
            apiKeys.put(key.keyDigest(), new ClientBinding(API_KEY_PROVIDER, key.keyId(), key.applicationId(),
                    key.keyType(), key.applicationLimit()));
        }

        return new CompiledSnapshot(snapshot, RouteTable.compile(snapshot.apis()), Map.copyOf(frozenIssuers),
                Map.copyOf(clients), Map.copyOf(subscriptions), Map.copyOf(backends), Set.copyOf(jwksUris),
                Map.copyOf(frozenRevoked), snapshot.backendSigningKey() == null ? null
                : BackendJwtSigner.of(snapshot.backendSigningKey(), snapshot.environment(), clock),
                Map.copyOf(apiKeys));
    }

    Map<String, TrustedIssuer> issuersOf(String orgHandle) {
        return issuersByOrg.getOrDefault(orgHandle, Map.of());
    }

    ClientBinding client(String idpId, String clientId) {
        return clients.get(new ClientKey(idpId, clientId));
    }

    SubscriptionGrant subscription(String applicationId, String apiId) {
        return subscriptions.get(new SubscriptionKey(applicationId, apiId));
    }

    /** Whether the issuer revoked the token with this {@code jti}; a token without one was never revoked. */
    boolean revoked(String issuer, String tokenId) {
        if (tokenId == null || revokedByIssuer.isEmpty()) {
            return false;
        }
        Set<String> tokenIds = revokedByIssuer.get(issuer);
        return tokenIds != null && tokenIds.contains(tokenId);
    }

    /** The application binding of the API key with this {@link dev.gatehouse.model.consumer.ApiKey#digest}, or null. */
    ClientBinding apiKey(String digest) {
        return apiKeys.get(digest);
    }

    Backend backend(String apiId) {
        return backends.get(apiId);
    }
}
