package dev.gatehouse.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotDeltaTest {

    private static RoutedApi api(String id, String backend) {
        return new RoutedApi(id, "acme", id, "/" + id, "v1", backend, Lifecycle.PUBLISHED,
                List.of(new RouteResource("GET", "/items", Set.of("urn:acme:" + id + ":read"))), false, Set.of());
    }

    private static TrustedIssuer issuer(String id) {
        return new TrustedIssuer(id, "acme", "https://" + id + ".example", "https://" + id + ".example/jwks",
                ClaimMapping.DEFAULT, null);
    }

    private static final GatewaySnapshot OLDER = new GatewaySnapshot(7, Environment.PRODUCTION,
            List.of(api("orders", "http://orders"), api("stock", "http://stock"), api("legacy", "http://legacy")),
            List.of(issuer("idp-1")),
            List.of(new ClientBinding("idp-1", "client-1", "app-1", KeyType.PRODUCTION),
                    new ClientBinding("idp-1", "client-2", "app-2", KeyType.PRODUCTION)),
            List.of(new SubscriptionGrant("app-1", "orders", "Gold", true),
                    new SubscriptionGrant("app-2", "orders", "Gold", true)),
            List.of(new RevokedToken("https://idp-1.example", "jti-1", Instant.parse("2026-11-28T12:00:00Z"))),
            null,
            List.of(new ApiKeyBinding("digest-1", "key-1", "app-1", KeyType.PRODUCTION, null)));

    private static final GatewaySnapshot NEWER = new GatewaySnapshot(9, Environment.PRODUCTION,
            List.of(api("orders", "http://orders-v2"), api("stock", "http://stock"), api("billing", "http://billing")),
            List.of(issuer("idp-1"), issuer("idp-2")),
            List.of(new ClientBinding("idp-1", "client-1", "app-1", KeyType.PRODUCTION,
                    RateLimit.of("Partner", 300, Duration.ofMinutes(1)))),
            List.of(new SubscriptionGrant("app-1", "orders", "Gold", false),
                    new SubscriptionGrant("app-2", "orders", "Gold", true)),
            List.of(new RevokedToken("https://idp-1.example", "jti-1", Instant.parse("2026-11-28T12:00:00Z")),
                    new RevokedToken("https://idp-1.example", "jti-2", Instant.parse("2026-11-28T12:05:00Z"))),
            new BackendSigningKey("https://gatehouse.example/gateway", "{\"kty\":\"EC\"}"),
            List.of());

    @Test
    void aDelta_carriesOnlyWhatChanged_andAppliedToTheOlderSnapshotGivesTheNewer() {
        SnapshotDelta delta = SnapshotDelta.between(OLDER, NEWER).orElseThrow();

        assertThat(delta.from()).isEqualTo(7);
        assertThat(delta.version()).isEqualTo(9);
        assertThat(delta.apis().put()).extracting(RoutedApi::apiId).containsExactlyInAnyOrder("orders", "billing");
        assertThat(delta.apis().removed()).containsExactly("legacy");
        assertThat(delta.issuers().put()).extracting(TrustedIssuer::idpId).containsExactly("idp-2");
        assertThat(delta.issuers().removed()).isEmpty();
        assertThat(delta.clients().put()).extracting(ClientBinding::clientId).containsExactly("client-1");
        assertThat(delta.clients().removed()).containsExactly("idp-1 client-2");
        assertThat(delta.subscriptions().put()).singleElement().extracting(SubscriptionGrant::active).isEqualTo(false);
        assertThat(delta.revokedTokens().put()).extracting(RevokedToken::tokenId).containsExactly("jti-2");
        assertThat(delta.apiKeys().removed()).containsExactly("digest-1");
        assertThat(delta.backendSigningKey()).isEqualTo(NEWER.backendSigningKey());

        GatewaySnapshot applied = delta.applyTo(OLDER);
        assertThat(applied.version()).isEqualTo(9);
        assertThat(applied.apis()).containsExactlyInAnyOrderElementsOf(NEWER.apis());
        assertThat(applied.issuers()).containsExactlyInAnyOrderElementsOf(NEWER.issuers());
        assertThat(applied.clients()).containsExactlyInAnyOrderElementsOf(NEWER.clients());
        assertThat(applied.subscriptions()).containsExactlyInAnyOrderElementsOf(NEWER.subscriptions());
        assertThat(applied.revokedTokens()).containsExactlyInAnyOrderElementsOf(NEWER.revokedTokens());
        assertThat(applied.backendSigningKey()).isEqualTo(NEWER.backendSigningKey());
        assertThat(applied.apiKeys()).isEmpty();
    }

    @Test
    void aDelta_comesBackEqualThroughTheCodec() {
        SnapshotDelta delta = SnapshotDelta.between(OLDER, NEWER).orElseThrow();

        assertThat(SnapshotCodec.decodeDelta(SnapshotCodec.encode(delta))).isEqualTo(delta);
    }

    @Test
    void aDelta_appliesOnlyToTheVersionItStartsFrom() {
        SnapshotDelta delta = SnapshotDelta.between(OLDER, NEWER).orElseThrow();
        GatewaySnapshot other = new GatewaySnapshot(8, Environment.PRODUCTION, OLDER.apis(), OLDER.issuers(),
                OLDER.clients(), OLDER.subscriptions());

        assertThatThrownBy(() -> delta.applyTo(other)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("snapshot 7").hasMessageContaining("snapshot 8");
    }

    @Test
    void noDelta_backwards_acrossEnvironments_orWhereAKeyNamesTwoEntries() {
        GatewaySnapshot development = new GatewaySnapshot(9, Environment.DEVELOPMENT, List.of(), List.of(),
                List.of(), List.of());
        GatewaySnapshot twice = new GatewaySnapshot(9, Environment.PRODUCTION, List.of(), List.of(), List.of(),
                List.of(new SubscriptionGrant("app-1", "orders", "Gold", true),
                        new SubscriptionGrant("app-1", "orders", "Silver", true)));

        assertThat(SnapshotDelta.between(NEWER, OLDER)).isEmpty();
        assertThat(SnapshotDelta.between(OLDER, development)).isEmpty();
        assertThat(SnapshotDelta.between(OLDER, twice)).isEmpty();
    }
}
