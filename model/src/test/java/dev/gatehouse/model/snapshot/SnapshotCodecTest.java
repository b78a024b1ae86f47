package dev.gatehouse.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.RateLimit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

    private static final GatewaySnapshot SNAPSHOT = new GatewaySnapshot(17, Environment.PRODUCTION,
            List.of(new RoutedApi("api-1", "acme", "Orders", "/orders", "v1", "http://backend:8080/svc",
                    Lifecycle.PUBLISHED, List.of(
                            new RouteResource("GET", "/orders/{id}", Set.of("urn:acme:orders:read")),
                            new RouteResource("POST", "/orders", Set.of(),
                                    RateLimit.of("Writes", 10, Duration.ofSeconds(1)))),
                    true, Set.of("https://app.example.com"),
                    RateLimit.of("Busy", 100, Duration.ofSeconds(1)), "X-JWT-Assertion", "apikey")),
            List.of(new TrustedIssuer("idp-1", "acme", "https://idp.example/t/acme/oauth2/token",
                    "https://idp.example/t/acme/oauth2/jwks", new ClaimMapping(List.of("cid"), "scp"), null)),
            List.of(new ClientBinding("idp-1", "client-1", "app-1", KeyType.PRODUCTION,
                    RateLimit.of("Partner", 300, Duration.ofMinutes(1)))),
            List.of(new SubscriptionGrant("app-1", "api-1", "Gold", true,
                    new RateLimit("Gold", 5000, Duration.ofMinutes(1), 6000))),
            List.of(new RevokedToken("https://idp.example/t/acme/oauth2/token", "jti-1",
                    Instant.parse("2026-11-28T16:00:00Z"))),
            new BackendSigningKey("https://cp.example/gateway", "{\"kty\":\"EC\"}"),
            List.of(new ApiKeyBinding("digest-1", "key-1", "app-1", KeyType.SANDBOX, null)));

    @Test
    void aSnapshot_comesBackEqual() {
        assertThat(SnapshotCodec.decode(SnapshotCodec.encode(SNAPSHOT))).isEqualTo(SNAPSHOT);
    }

    @Test
    void fieldsANewerControlPlaneAdds_areSkipped() {
        String json = new String(SnapshotCodec.encode(GatewaySnapshot.empty(Environment.DEVELOPMENT)),
                StandardCharsets.UTF_8).replaceFirst("\\{", "{\"rateLimitTiers\":[{\"name\":\"Gold\"}],");

        assertThat(SnapshotCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(GatewaySnapshot.empty(Environment.DEVELOPMENT));
    }

    @Test
    void aSnapshotWithoutRevokedTokens_asOlderGatewaysSavedThem_revokesNone() {
        String json = new String(SnapshotCodec.encode(SNAPSHOT), StandardCharsets.UTF_8)
                .replaceFirst(",\\s*\"revokedTokens\":\\[[^]]*]", "");

        GatewaySnapshot decoded = SnapshotCodec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(json).doesNotContain("revokedTokens");
        assertThat(decoded.revokedTokens()).isEmpty();
        assertThat(decoded.subscriptions()).isEqualTo(SNAPSHOT.subscriptions());
    }

    @Test
    void theBackendSigningKey_isNeverShownByToString() {
        assertThat(SNAPSHOT.toString()).doesNotContain("kty").contains("BackendSigningKey[issuer=https://cp.example/gateway]");
    }

    @Test
    void whatIsNotASnapshot_isRefused() {
        assertThatThrownBy(() -> SnapshotCodec.decode("{\"version\": 3}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a gateway snapshot");
    }
}
