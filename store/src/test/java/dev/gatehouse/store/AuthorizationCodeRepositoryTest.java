package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.AuthorizationCode;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class AuthorizationCodeRepositoryTest {

    private final Store store;
    private final TestClock clock;

    AuthorizationCodeRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void redeem_returnsTheUnusedCodeOnceAndThenAsUsed() {
        AuthorizationCode code = code(Seed.unique("hash"));
        store.record(r -> {
            r.authorizationCodes().add(code);
            return null;
        });

        Optional<AuthorizationCode> first = store.record(r -> r.authorizationCodes().redeem(code.orgId(), code.codeHash()));
        Optional<AuthorizationCode> second = store.record(r -> r.authorizationCodes().redeem(code.orgId(), code.codeHash()));

        assertThat(first).contains(code);
        assertThat(second).hasValueSatisfying(again -> assertThat(again.used()).isTrue());
    }

    @Test
    void redeem_ofAnUnknownCodeOrInAnotherOrganization_isEmpty() {
        AuthorizationCode code = code(Seed.unique("hash"));
        Organization other = Seed.organization(store);
        store.record(r -> {
            r.authorizationCodes().add(code);
            return null;
        });

        Optional<AuthorizationCode> unknown = store.record(r -> r.authorizationCodes().redeem(code.orgId(), "nope"));
        Optional<AuthorizationCode> elsewhere =
                store.record(r -> r.authorizationCodes().redeem(other.id(), code.codeHash()));

        assertThat(unknown).isEmpty();
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void deleteExpired_removesOnlyCodesPastTheirExpiry() {
        AuthorizationCode code = code(Seed.unique("hash"));
        store.record(r -> {
            r.authorizationCodes().add(code);
            return null;
        });

        store.record(r -> r.authorizationCodes().deleteExpired(code.expiresAt()));
        Optional<AuthorizationCode> kept = store.read(r -> r.authorizationCodes().redeem(code.orgId(), code.codeHash()));
        int deleted = store.record(r -> r.authorizationCodes().deleteExpired(code.expiresAt().plusSeconds(1)));
        Optional<AuthorizationCode> gone = store.read(r -> r.authorizationCodes().redeem(code.orgId(), code.codeHash()));

        assertThat(kept).isPresent();
        assertThat(deleted).isPositive();
        assertThat(gone).isEmpty();
    }

    @Test
    void record_leavesTheConfigurationRevisionAlone() {
        AuthorizationCode code = code(Seed.unique("hash"));
        long before = store.configRevision();

        store.record(r -> {
            r.authorizationCodes().add(code);
            return null;
        });

        assertThat(store.configRevision()).isEqualTo(before);
    }

    private AuthorizationCode code(String hash) {
        Organization org = Seed.organization(store);
        User user = Seed.user(store, org);
        return new AuthorizationCode(hash, org.id(), "web", user.id(), "https://app.example/cb",
                Set.of("a", "b"), "challenge", "nonce", false,
                clock.instant().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MICROS));
    }
}
