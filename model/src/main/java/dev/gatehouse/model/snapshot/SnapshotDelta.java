package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.Environment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What changed between two snapshots of one environment, for a gateway that serves the older one: per list, the
 * entries added or changed and the keys of those removed. An API is known by its id, an issuer by its identity
 * provider's id, a client binding by identity provider and client ID, a subscription by application and API, a
 * revoked token by issuer and token ID, an API key by its digest. The backend signing key, one small value, is
 * always sent as it is in the newer snapshot.
 *
 * <p>Applied to the snapshot of version {@code from}, a delta gives one equal to the snapshot of {@code version}
 * but for the order of its lists, which nothing reads. A gateway serving another version cannot use it and must
 * ask for the whole snapshot.
 */
public record SnapshotDelta(
        long from,
        long version,
        Environment environment,
        Changes<RoutedApi> apis,
        Changes<TrustedIssuer> issuers,
        Changes<ClientBinding> clients,
        Changes<SubscriptionGrant> subscriptions,
        Changes<RevokedToken> revokedTokens,
        BackendSigningKey backendSigningKey,
        Changes<ApiKeyBinding> apiKeys) {

    /** Entries added or changed, and the keys of entries removed. */
    public record Changes<T>(List<T> put, List<String> removed) {

        public Changes {
            put = List.copyOf(put);
            removed = List.copyOf(removed);
        }

        /** Null when a key names two entries of one list, so that no delta can say which one changed. */
        private static <T> Changes<T> between(List<T> older, List<T> newer, Function<T, String> key) {
            Map<String, T> before = byKey(older, key);
            Map<String, T> after = byKey(newer, key);
            if (before == null || after == null) {
                return null;
            }
            List<T> put = new ArrayList<>();
            after.forEach((k, entry) -> {
                if (!entry.equals(before.get(k))) {
                    put.add(entry);
                }
            });
            List<String> removed = before.keySet().stream().filter(k -> !after.containsKey(k)).toList();
            return new Changes<>(put, removed);
        }

        private List<T> applyTo(List<T> base, Function<T, String> key) {
            Map<String, T> entries = new LinkedHashMap<>();
            base.forEach(entry -> entries.put(key.apply(entry), entry));
            removed.forEach(entries::remove);
            put.forEach(entry -> entries.put(key.apply(entry), entry));
            return List.copyOf(entries.values());
        }

        private static <T> Map<String, T> byKey(List<T> entries, Function<T, String> key) {
            Map<String, T> byKey = new HashMap<>();
            for (T entry : entries) {
                if (byKey.put(key.apply(entry), entry) != null) {
                    return null;
                }
            }
            return byKey;
        }
    }

    public SnapshotDelta {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(apis, "apis");
        Objects.requireNonNull(issuers, "issuers");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(subscriptions, "subscriptions");
        Objects.requireNonNull(revokedTokens, "revokedTokens");
        Objects.requireNonNull(apiKeys, "apiKeys");
        if (version <= from) {
            throw new IllegalArgumentException("a delta goes from an older version to a newer one");
        }
    }

    /**
     * The delta from {@code older} to {@code newer}; empty when they are of different environments, not in that
     * order, or when a list holds two entries of one key.
     */
    public static Optional<SnapshotDelta> between(GatewaySnapshot older, GatewaySnapshot newer) {
        if (older.environment() != newer.environment() || older.version() >= newer.version()) {
            return Optional.empty();
        }
        Changes<RoutedApi> apis = Changes.between(older.apis(), newer.apis(), SnapshotDelta::key);
        Changes<TrustedIssuer> issuers = Changes.between(older.issuers(), newer.issuers(), SnapshotDelta::key);
        Changes<ClientBinding> clients = Changes.between(older.clients(), newer.clients(), SnapshotDelta::key);
        Changes<SubscriptionGrant> subscriptions =
                Changes.between(older.subscriptions(), newer.subscriptions(), SnapshotDelta::key);
        Changes<RevokedToken> revokedTokens =
                Changes.between(older.revokedTokens(), newer.revokedTokens(), SnapshotDelta::key);
        Changes<ApiKeyBinding> apiKeys = Changes.between(older.apiKeys(), newer.apiKeys(), SnapshotDelta::key);
        if (apis == null || issuers == null || clients == null || subscriptions == null || revokedTokens == null
                || apiKeys == null) {
            return Optional.empty();
        }
        return Optional.of(new SnapshotDelta(older.version(), newer.version(), newer.environment(), apis, issuers,
                clients, subscriptions, revokedTokens, newer.backendSigningKey(), apiKeys));
    }

    /** @throws IllegalArgumentException if {@code base} is not the snapshot this delta starts from */
    public GatewaySnapshot applyTo(GatewaySnapshot base) {
        if (base.version() != from || base.environment() != environment) {
            throw new IllegalArgumentException("a delta from " + environment.wireName() + " snapshot " + from
                    + " cannot apply to " + base.environment().wireName() + " snapshot " + base.version());
        }
        return new GatewaySnapshot(version, environment,
                apis.applyTo(base.apis(), SnapshotDelta::key),
                issuers.applyTo(base.issuers(), SnapshotDelta::key),
                clients.applyTo(base.clients(), SnapshotDelta::key),
                subscriptions.applyTo(base.subscriptions(), SnapshotDelta::key),
                revokedTokens.applyTo(base.revokedTokens(), SnapshotDelta::key),
                backendSigningKey,
                apiKeys.applyTo(base.apiKeys(), SnapshotDelta::key));
    }

    private static String key(RoutedApi api) {
        return api.apiId();
    }

    private static String key(TrustedIssuer issuer) {
        return issuer.idpId();
    }

    private static String key(ClientBinding binding) {
        return binding.idpId() + " " + binding.clientId();
    }

    private static String key(SubscriptionGrant subscription) {
        return subscription.applicationId() + " " + subscription.apiId();
    }

    private static String key(RevokedToken token) {
        return token.tokenId() + " " + token.issuer();
    }

    private static String key(ApiKeyBinding apiKey) {
        return apiKey.keyDigest();
    }
}
