package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.GatewaySigningKeyRepository.GatewaySigningKey;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class GatewaySigningKeyRepositoryTest {

    private final Store store;
    private final TestClock clock;

    GatewaySigningKeyRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void theOldestKeySigns_andEveryKeyIsListed_withoutItsSecretInItsString() {
        String older = Seed.unique("kid");
        String newer = Seed.unique("kid");
        store.record(tx -> {
            tx.gatewaySigningKeys().add(new GatewaySigningKey(newer, "{\"d\":\"secret\"}",
                    clock.instant().plus(Duration.ofDays(3650))));
            tx.gatewaySigningKeys().add(new GatewaySigningKey(older, "{\"d\":\"secret\"}",
                    clock.instant().minus(Duration.ofDays(3650))));
            return null;
        });

        Optional<GatewaySigningKey> signing = store.read(tx -> tx.gatewaySigningKeys().signing());
        List<GatewaySigningKey> all = store.read(tx -> tx.gatewaySigningKeys().list());

        assertThat(signing).map(GatewaySigningKey::kid).contains(older);
        assertThat(all).extracting(GatewaySigningKey::kid).contains(older, newer);
        assertThat(signing.orElseThrow().toString()).doesNotContain("secret");
    }

    @Test
    void aPlaintextKey_isSealedOnce_andASealedOneIsLeftAlone() {
        String kid = Seed.unique("kid");
        store.record(tx -> {
            tx.gatewaySigningKeys().add(new GatewaySigningKey(kid, "{\"d\":\"secret\"}", clock.instant()));
            return null;
        });

        boolean first = store.write(tx -> tx.gatewaySigningKeys().seal(kid, "aes256gcm:first"));
        boolean second = store.write(tx -> tx.gatewaySigningKeys().seal(kid, "aes256gcm:second"));

        List<GatewaySigningKey> all = store.read(tx -> tx.gatewaySigningKeys().list());
        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(all).filteredOn(key -> key.kid().equals(kid)).extracting(GatewaySigningKey::privateJwk)
                .containsExactly("aes256gcm:first");
    }

    @Test
    void anApisBackendJwtHeader_isSetListedAndCleared() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/" + Seed.unique("jwt"));

        Optional<String> before = store.read(tx -> tx.apis().backendJwtHeader(api.id()));
        store.write(tx -> {
            tx.apis().setBackendJwtHeader(api.id(), "X-JWT-Assertion");
            return null;
        });
        Optional<String> set = store.read(tx -> tx.apis().backendJwtHeader(api.id()));
        boolean listed = store.read(tx -> tx.apis().backendJwtHeaders()).containsKey(api.id());
        store.write(tx -> {
            tx.apis().setBackendJwtHeader(api.id(), null);
            return null;
        });
        boolean listedAfterClearing = store.read(tx -> tx.apis().backendJwtHeaders()).containsKey(api.id());

        assertThat(before).isEmpty();
        assertThat(set).contains("X-JWT-Assertion");
        assertThat(listed).isTrue();
        assertThat(listedAfterClearing).isFalse();
    }
}
