package dev.gatehouse.model.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Lifecycle;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotDeltaTest {

    private static final RoutedApi ORDERS = new RoutedApi("api-1", "acme", "Orders", "/orders", "v1",
            "http://backend", Lifecycle.PUBLISHED, List.of(new RouteResource("GET", "/orders", Set.of())), false,
            Set.of());
    private static final TrustedIssuer ISSUER = new TrustedIssuer("idp-1", "acme", "https://idp", "https://idp/jwks",
            ClaimMapping.DEFAULT, null);

    private static GatewaySnapshot snapshot(long version, List<SubscriptionGrant> subscriptions,
                                            List<RevokedToken> revoked) {
        return new GatewaySnapshot(version, Environment.PRODUCTION, List.of(ORDERS), List.of(ISSUER),
                List.of(new ClientBinding("idp-1", "client-1", "app-1", KeyType.PRODUCTION)), subscriptions, revoked,
                null, List.of());
    }

    @Test
    void aDelta_carriesOnlyTheChangedSections_andLeadsToTheNewSnapshot() {
        GatewaySnapshot base = snapshot(4, List.of(new SubscriptionGrant("app-1", "api-1", "Gold", true)), List.of());
        GatewaySnapshot next = snapshot(7, List.of(new SubscriptionGrant("app-1", "api-1", "Gold", false)),
                List.of(new RevokedToken("https://idp", "jti-1", Instant.parse("2030-01-01T00:00:00Z"))));

        SnapshotDelta delta = SnapshotDelta.between(base, next);
        SnapshotDelta sent = SnapshotCodec.decodeDelta(SnapshotCodec.encode(delta));

        assertThat(delta.changed()).containsExactlyInAnyOrder(SnapshotDelta.Section.SUBSCRIPTIONS,
                SnapshotDelta.Section.REVOKED_TOKENS);
        assertThat(delta.changes().apis()).isEmpty();
        assertThat(sent).isEqualTo(delta);
        assertThat(sent.applyTo(base)).isEqualTo(next);
    }

    @Test
    void aDelta_isRefusedForAnotherBase() {
        GatewaySnapshot base = snapshot(4, List.of(), List.of());
        SnapshotDelta delta = SnapshotDelta.between(base, snapshot(5, List.of(), List.of()));

        assertThat(delta.changed()).isEmpty();
        assertThatThrownBy(() -> delta.applyTo(snapshot(3, List.of(), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a delta from version 4 of the production environment cannot be applied to version 3 of "
                        + "the production environment");
    }
}
