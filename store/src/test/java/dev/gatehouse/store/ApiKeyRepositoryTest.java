package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.consumer.ApiKey;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class ApiKeyRepositoryTest {

    private final Store store;

    ApiKeyRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void aKey_isKeptByItsDigestAndPrefixOnly_andRevoked() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);
        String key = ApiKey.newKey();

        ApiKey created = store.write(tx -> tx.apiKeys().create(app.id(), "ci", KeyType.SANDBOX, key));
        List<ApiKeyRepository.DigestedKey> all = store.read(tx -> tx.apiKeys().listAll());
        List<ApiKey> listed = store.read(tx -> tx.apiKeys().list(app.id()));
        boolean revoked = store.write(tx -> tx.apiKeys().delete(app.id(), created.id()));
        boolean revokedAgain = store.write(tx -> tx.apiKeys().delete(app.id(), created.id()));

        assertThat(key).startsWith("ghk_").hasSize(47);
        assertThat(created.prefix()).isEqualTo(key.substring(0, 10));
        assertThat(listed).containsExactly(created);
        assertThat(all).contains(new ApiKeyRepository.DigestedKey(created, ApiKey.digest(key)));
        assertThat(all.toString()).doesNotContain(key);
        assertThat(revoked).isTrue();
        assertThat(revokedAgain).isFalse();
        List<ApiKey> afterRevoking = store.read(tx -> tx.apiKeys().list(app.id()));
        assertThat(afterRevoking).isEmpty();
    }

    @Test
    void theSameKeyTwice_isAConflict() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);
        String key = ApiKey.newKey();
        store.write(tx -> tx.apiKeys().create(app.id(), "one", KeyType.PRODUCTION, key));

        assertThatThrownBy(() -> store.write(tx -> tx.apiKeys().create(app.id(), "two", KeyType.PRODUCTION, key)))
                .isInstanceOf(StoreConflictException.class)
                .hasFieldOrPropertyWithValue("constraint", "api_keys_key_digest_key");
    }

    @Test
    void anApisKeyHeader_isSetListedAndCleared() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/" + Seed.unique("keys"));

        store.write(tx -> {
            tx.apis().setApiKeyHeader(api.id(), "apikey");
            return null;
        });
        Optional<String> set = store.read(tx -> tx.apis().apiKeyHeader(api.id()));
        boolean listed = store.read(tx -> tx.apis().apiKeyHeaders()).containsKey(api.id());
        store.write(tx -> {
            tx.apis().setApiKeyHeader(api.id(), null);
            return null;
        });

        assertThat(set).contains("apikey");
        assertThat(listed).isTrue();
        Optional<String> cleared = store.read(tx -> tx.apis().apiKeyHeader(api.id()));
        assertThat(cleared).isEmpty();
    }
}
