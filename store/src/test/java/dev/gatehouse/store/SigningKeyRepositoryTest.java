package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class SigningKeyRepositoryTest {

    private final Store store;

    SigningKeyRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void signingAt_isTheActiveKeyThatBeganSigningLast_notOneStillToCome() {
        Organization org = Seed.organization(store);
        SigningKey old = key(org, "old", true, 0);
        SigningKey newest = key(org, "newest", true, 60);
        SigningKey retired = key(org, "retired", false, 120);
        String nextKid = Seed.unique("next");
        SigningKey next = new SigningKey(nextKid, org.id(), "ES256", "{}", true, TestClock.START.plusSeconds(90),
                TestClock.START.plusSeconds(600));
        add(old, newest, retired, next);

        Optional<SigningKey> now = store.read(r -> r.signingKeys().signingAt(org.id(), TestClock.START.plusSeconds(300)));
        Optional<SigningKey> later = store.read(r -> r.signingKeys().signingAt(org.id(), TestClock.START.plusSeconds(600)));
        Optional<SigningKey> before = store.read(r -> r.signingKeys().signingAt(org.id(), TestClock.START.minusSeconds(1)));

        assertThat(now).contains(newest);
        assertThat(later).contains(next);
        assertThat(before).isEmpty();
    }

    @Test
    void organizationWithoutKeys_hasNoActiveKey() {
        Organization org = Seed.organization(store);

        Optional<SigningKey> active = store.read(r -> r.signingKeys().signingAt(org.id(), TestClock.START));

        assertThat(active).isEmpty();
    }

    @Test
    void list_isEveryKeyOfTheOrganizationNewestFirst() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        SigningKey first = key(org, "first", false, 0);
        SigningKey second = key(org, "second", true, 60);
        SigningKey third = key(org, "third", false, 120);
        add(second, third, first, key(other, "elsewhere", true, 0));

        List<SigningKey> keys = store.read(r -> r.signingKeys().list(org.id()));

        assertThat(keys).containsExactly(third, second, first);
    }

    @Test
    void aPlaintextKey_isSealedOnce_andASealedOneIsLeftAlone() {
        Organization org = Seed.organization(store);
        String kid = Seed.unique("plain");
        add(new SigningKey(kid, org.id(), "RS256", "{\"d\":\"secret\"}", true, TestClock.START));

        boolean first = store.write(r -> r.signingKeys().seal(kid, "aes256gcm:first"));
        boolean second = store.write(r -> r.signingKeys().seal(kid, "aes256gcm:second"));

        List<SigningKey> keys = store.read(r -> r.signingKeys().list(org.id()));
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(keys).extracting(SigningKey::privateJwk).containsExactly("aes256gcm:first");
    }

    @Test
    void creationTimeFinerThanAMicrosecond_isKeptToTheMicrosecond() {
        Organization org = Seed.organization(store);
        SigningKey key = new SigningKey(Seed.unique("precise"), org.id(), "ES256", "{}", true,
                Instant.parse("2030-01-01T00:00:00.123456789Z"));
        add(key);

        Optional<SigningKey> active = store.read(r -> r.signingKeys().signingAt(org.id(), Instant.parse("2031-01-01T00:00:00Z")));

        assertThat(active.orElseThrow().createdAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123456Z"));
        assertThat(active.orElseThrow().signsFrom()).isEqualTo(Instant.parse("2030-01-01T00:00:00.123456Z"));
    }

    /** A key created some seconds after the test clock's start; kids are unique across the whole store. */
    private static SigningKey key(Organization org, String name, boolean active, long secondsAfterStart) {
        String kid = Seed.unique(name);
        return new SigningKey(kid, org.id(), "RS256", "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\"}", active,
                TestClock.START.plusSeconds(secondsAfterStart));
    }

    private void add(SigningKey... keys) {
        store.write(r -> {
            for (SigningKey key : keys) {
                r.signingKeys().add(key);
            }
            return null;
        });
    }
}
