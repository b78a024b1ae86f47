package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.RefreshToken;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class RefreshTokenRepositoryTest {

    private final Store store;
    private final TestClock clock;

    RefreshTokenRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void token_roundTrips_andIsFoundOnlyInItsOrganization() {
        RefreshToken token = add(Seed.unique("family"));
        Organization other = Seed.organization(store);

        Optional<RefreshToken> found = store.read(r -> r.refreshTokens().find(token.orgId(), token.tokenHash()));
        Optional<RefreshToken> elsewhere = store.read(r -> r.refreshTokens().find(other.id(), token.tokenHash()));

        assertThat(found).contains(token);
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void markUsed_succeedsOnce() {
        RefreshToken token = add(Seed.unique("family"));

        boolean first = store.record(r -> r.refreshTokens().markUsed(token.tokenHash()));
        boolean second = store.record(r -> r.refreshTokens().markUsed(token.tokenHash()));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        Optional<RefreshToken> found = store.read(r -> r.refreshTokens().find(token.orgId(), token.tokenHash()));
        assertThat(found).hasValueSatisfying(used -> assertThat(used.used()).isTrue());
    }

    @Test
    void revokeFamily_revokesEveryTokenOfTheFamilyAndNoOther() {
        String family = Seed.unique("family");
        RefreshToken first = add(family);
        RefreshToken second = add(family);
        RefreshToken stranger = add(Seed.unique("family"));

        int revoked = store.record(r -> r.refreshTokens().revokeFamily(family));

        assertThat(revoked).isEqualTo(2);
        for (RefreshToken token : new RefreshToken[] {first, second}) {
            Optional<RefreshToken> found = store.read(r -> r.refreshTokens().find(token.orgId(), token.tokenHash()));
            assertThat(found).hasValueSatisfying(t -> assertThat(t.revoked()).isTrue());
        }
        Optional<RefreshToken> other = store.read(r -> r.refreshTokens().find(stranger.orgId(), stranger.tokenHash()));
        assertThat(other).hasValueSatisfying(t -> assertThat(t.revoked()).isFalse());
    }

    @Test
    void deleteExpired_removesTokensPastTheirExpiry() {
        RefreshToken token = add(Seed.unique("family"));

        store.record(r -> r.refreshTokens().deleteExpired(token.expiresAt()));
        Optional<RefreshToken> kept = store.read(r -> r.refreshTokens().find(token.orgId(), token.tokenHash()));
        store.record(r -> r.refreshTokens().deleteExpired(token.expiresAt().plusSeconds(1)));
        Optional<RefreshToken> gone = store.read(r -> r.refreshTokens().find(token.orgId(), token.tokenHash()));

        assertThat(kept).isPresent();
        assertThat(gone).isEmpty();
    }

    private RefreshToken add(String family) {
        Organization org = Seed.organization(store);
        User user = Seed.user(store, org);
        RefreshToken token = new RefreshToken(Seed.unique("hash"), org.id(), family, "web", user.id(),
                Set.of("a"), false, false, clock.instant().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MICROS));
        store.record(r -> {
            r.refreshTokens().add(token);
            return null;
        });
        return token;
    }
}
