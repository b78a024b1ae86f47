package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.DeviceAuthorization;
import dev.gatehouse.model.identity.DeviceAuthorization.Status;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class DeviceAuthorizationRepositoryTest {

    private final Store store;
    private final TestClock clock;

    DeviceAuthorizationRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void add_thenFindByEitherCode_inItsOrganizationOnly() {
        DeviceAuthorization pending = pending(Seed.organization(store));
        Organization other = Seed.organization(store);
        add(pending);

        var byDeviceCode = store.read(r -> r.deviceAuthorizations().findByDeviceCode(pending.orgId(),
                pending.deviceCodeHash()));
        var byUserCode = store.read(r -> r.deviceAuthorizations().findByUserCode(pending.orgId(),
                pending.userCodeHash()));
        var elsewhere = store.read(r -> r.deviceAuthorizations().findByDeviceCode(other.id(),
                pending.deviceCodeHash()));

        assertThat(byDeviceCode).contains(pending);
        assertThat(byUserCode).contains(pending);
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void aUserCode_isUniqueWithinItsOrganization() {
        Organization org = Seed.organization(store);
        DeviceAuthorization first = pending(org);
        add(first);
        DeviceAuthorization sameUserCode = new DeviceAuthorization(Seed.unique("device"), first.userCodeHash(),
                org.id(), "cli", Set.of(), Status.PENDING, null, Duration.ofSeconds(5), 0, null, first.expiresAt());

        assertThatThrownBy(() -> add(sameUserCode)).isInstanceOf(StoreConflictException.class);
    }

    @Test
    void decide_happensOnceAndOnlyBeforeExpiry() {
        Organization org = Seed.organization(store);
        User user = Seed.user(store, org);
        DeviceAuthorization pending = pending(org);
        DeviceAuthorization late = pending(org);
        add(pending);
        add(late);

        boolean approved = store.record(r -> r.deviceAuthorizations().decide(org.id(), pending.userCodeHash(), true,
                user.id(), Set.of("a"), clock.instant()));
        boolean deniedAfter = store.record(r -> r.deviceAuthorizations().decide(org.id(), pending.userCodeHash(),
                false, user.id(), Set.of(), clock.instant()));
        boolean expired = store.record(r -> r.deviceAuthorizations().decide(org.id(), late.userCodeHash(), true,
                user.id(), Set.of("a"), late.expiresAt()));

        assertThat(approved).isTrue();
        assertThat(deniedAfter).isFalse();
        assertThat(expired).isFalse();
        DeviceAuthorization stored = store.read(r -> r.deviceAuthorizations().findByDeviceCode(org.id(),
                pending.deviceCodeHash())).orElseThrow();
        assertThat(stored.status()).isEqualTo(Status.APPROVED);
        assertThat(stored.userId()).isEqualTo(user.id());
        assertThat(stored.scopes()).containsExactly("a");
    }

    @Test
    void recordPoll_succeedsOnlyForTheNextPoll_andLengthensTheInterval() {
        DeviceAuthorization pending = pending(Seed.organization(store));
        add(pending);
        Instant now = clock.instant();

        boolean first = store.record(r -> r.deviceAuthorizations().recordPoll(pending.orgId(),
                pending.deviceCodeHash(), 0, now, Duration.ofSeconds(5)));
        boolean concurrent = store.record(r -> r.deviceAuthorizations().recordPoll(pending.orgId(),
                pending.deviceCodeHash(), 0, now, Duration.ZERO));

        assertThat(first).isTrue();
        assertThat(concurrent).isFalse();
        DeviceAuthorization stored = store.read(r -> r.deviceAuthorizations().findByDeviceCode(pending.orgId(),
                pending.deviceCodeHash())).orElseThrow();
        assertThat(stored.polls()).isEqualTo(1);
        assertThat(stored.lastPolledAt()).isEqualTo(now);
        assertThat(stored.interval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void redeem_succeedsOnceAndOnlyWhenApproved() {
        Organization org = Seed.organization(store);
        User user = Seed.user(store, org);
        DeviceAuthorization pending = pending(org);
        add(pending);

        boolean whilePending = store.record(r -> r.deviceAuthorizations().redeem(org.id(), pending.deviceCodeHash()));
        store.record(r -> r.deviceAuthorizations().decide(org.id(), pending.userCodeHash(), true, user.id(),
                Set.of(), clock.instant()));
        boolean first = store.record(r -> r.deviceAuthorizations().redeem(org.id(), pending.deviceCodeHash()));
        boolean second = store.record(r -> r.deviceAuthorizations().redeem(org.id(), pending.deviceCodeHash()));

        assertThat(whilePending).isFalse();
        assertThat(first).isTrue();
        assertThat(second).isFalse();
    }

    @Test
    void deleteExpired_removesOnlyThoseExpiredBeforeTheGivenTime() {
        DeviceAuthorization pending = pending(Seed.organization(store));
        add(pending);

        store.record(r -> r.deviceAuthorizations().deleteExpired(pending.expiresAt()));
        boolean kept = store.read(r -> r.deviceAuthorizations().findByDeviceCode(pending.orgId(),
                pending.deviceCodeHash())).isPresent();
        store.record(r -> r.deviceAuthorizations().deleteExpired(pending.expiresAt().plusSeconds(1)));
        boolean gone = store.read(r -> r.deviceAuthorizations().findByDeviceCode(pending.orgId(),
                pending.deviceCodeHash())).isEmpty();

        assertThat(kept).isTrue();
        assertThat(gone).isTrue();
    }

    private void add(DeviceAuthorization authorization) {
        store.record(r -> {
            r.deviceAuthorizations().add(authorization);
            return null;
        });
    }

    private DeviceAuthorization pending(Organization org) {
        return new DeviceAuthorization(Seed.unique("device"), Seed.unique("user-code"), org.id(), "cli",
                Set.of("a", "b"), Status.PENDING, null, Duration.ofSeconds(5), 0, null,
                clock.instant().plus(Duration.ofMinutes(10)));
    }
}
