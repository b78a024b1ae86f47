package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@StoreTest
class RevokedAccessTokenRepositoryTest {

    private final Store store;
    private final TestClock clock;

    RevokedAccessTokenRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void revoke_isRemembered_andIdempotent() {
        Organization org = Seed.organization(store);
        String jti = Seed.unique("jti");
        Instant expiry = clock.instant().plus(Duration.ofHours(1));

        boolean before = store.read(r -> r.revokedAccessTokens().isRevoked(jti));
        store.record(r -> {
            r.revokedAccessTokens().revoke(org.id(), jti, expiry);
            r.revokedAccessTokens().revoke(org.id(), jti, expiry);
            return null;
        });
        boolean after = store.read(r -> r.revokedAccessTokens().isRevoked(jti));

        assertThat(before).isFalse();
        assertThat(after).isTrue();
    }

    @Test
    void deleteExpired_forgetsRevocationsOfExpiredTokens() {
        Organization org = Seed.organization(store);
        String jti = Seed.unique("jti");
        Instant expiry = clock.instant().plus(Duration.ofHours(1));
        store.record(r -> {
            r.revokedAccessTokens().revoke(org.id(), jti, expiry);
            return null;
        });

        store.record(r -> r.revokedAccessTokens().deleteExpired(expiry.plusSeconds(1)));
        boolean revoked = store.read(r -> r.revokedAccessTokens().isRevoked(jti));

        assertThat(revoked).isFalse();
    }

    @Test
    void unexpired_listsTheRevocationsOfTokensNotYetExpired() {
        Organization org = Seed.organization(store);
        String expiring = Seed.unique("jti");
        String lasting = Seed.unique("jti");
        Instant soon = clock.instant().plus(Duration.ofMinutes(1));
        Instant later = clock.instant().plus(Duration.ofHours(1));
        store.write(r -> {
            r.revokedAccessTokens().revoke(org.id(), expiring, soon);
            r.revokedAccessTokens().revoke(org.id(), lasting, later);
            return null;
        });

        var now = store.read(r -> r.revokedAccessTokens().unexpired(clock.instant()));
        var afterTheFirstExpired = store.read(r -> r.revokedAccessTokens().unexpired(soon.plusSeconds(1)));

        assertThat(now).contains(new RevokedAccessTokenRepository.Revocation(org.id(), expiring, soon),
                new RevokedAccessTokenRepository.Revocation(org.id(), lasting, later));
        assertThat(afterTheFirstExpired).contains(new RevokedAccessTokenRepository.Revocation(org.id(), lasting, later))
                .extracting(RevokedAccessTokenRepository.Revocation::jti).doesNotContain(expiring);
    }
}
