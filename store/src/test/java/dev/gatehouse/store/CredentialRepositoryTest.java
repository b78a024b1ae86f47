package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.IdentityProvider;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.consumer.Credential;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreBackend;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class CredentialRepositoryTest {

    private final Store store;
    private final TestClock clock;

    CredentialRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void createdCredential_isFoundInItsApplication() {
        Organization org = Seed.organization(store);
        IdentityProvider idp = Seed.externalIdp(store, org);
        Application app = Seed.application(store, org);

        Credential created = store.write(r -> r.credentials().create(app.id(), KeyType.PRODUCTION, idp.id(), "c-1"));

        Optional<Credential> found = store.read(r -> r.credentials().find(app.id(), created.id()));
        Optional<Credential> elsewhere = store.read(r ->
                r.credentials().find(Seed.application(store, org).id(), created.id()));
        assertThat(found).contains(created);
        assertThat(elsewhere).isEmpty();
    }

    @Test
    void list_isOrderedByKeyTypeThenCreation() {
        Organization org = Seed.organization(store);
        IdentityProvider okta = Seed.externalIdp(store, org);
        IdentityProvider auth0 = Seed.externalIdp(store, org);
        Application app = Seed.application(store, org);
        Credential sandbox = store.write(r -> r.credentials().create(app.id(), KeyType.SANDBOX, okta.id(), "s-1"));
        clock.advance(Duration.ofSeconds(1));
        Credential productionOkta =
                store.write(r -> r.credentials().create(app.id(), KeyType.PRODUCTION, okta.id(), "p-1"));
        clock.advance(Duration.ofSeconds(1));
        Credential productionAuth0 =
                store.write(r -> r.credentials().create(app.id(), KeyType.PRODUCTION, auth0.id(), "p-2"));

        List<Credential> credentials = store.read(r -> r.credentials().list(app.id()));

        assertThat(credentials).containsExactly(productionOkta, productionAuth0, sandbox);
    }

    @Test
    void sameClientIdOfAnotherIdentityProvider_isAnotherCredential() {
        Organization org = Seed.organization(store);
        IdentityProvider okta = Seed.externalIdp(store, org);
        IdentityProvider auth0 = Seed.externalIdp(store, org);
        Application shop = Seed.application(store, org);
        Application kiosk = Seed.application(store, org);
        store.write(r -> r.credentials().create(shop.id(), KeyType.PRODUCTION, okta.id(), "same"));

        Credential other = store.write(r -> r.credentials().create(kiosk.id(), KeyType.PRODUCTION, auth0.id(), "same"));

        List<Credential> credentials = store.read(r -> r.credentials().list(kiosk.id()));
        assertThat(credentials).containsExactly(other);
    }

    @Test
    void delete_removesTheCredentialAndTellsWhetherItExisted() {
        Organization org = Seed.organization(store);
        IdentityProvider idp = Seed.externalIdp(store, org);
        Application app = Seed.application(store, org);
        Credential credential = store.write(r -> r.credentials().create(app.id(), KeyType.SANDBOX, idp.id(), "c-1"));

        boolean deleted = store.write(r -> r.credentials().delete(app.id(), credential.id()));
        boolean deletedAgain = store.write(r -> r.credentials().delete(app.id(), credential.id()));

        List<Credential> credentials = store.read(r -> r.credentials().list(app.id()));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(credentials).isEmpty();
    }

    @Test
    void deletingTheApplication_deletesItsCredentialsAndFreesTheIdentityProvider() {
        Organization org = Seed.organization(store);
        IdentityProvider idp = Seed.externalIdp(store, org);
        Application app = Seed.application(store, org);
        store.write(r -> r.credentials().create(app.id(), KeyType.SANDBOX, idp.id(), "c-1"));

        store.write(r -> r.applications().delete(org.id(), app.id()));
        boolean idpDeleted = store.write(r -> r.identityProviders().delete(org.id(), idp.id()));

        List<Credential> credentials = store.read(r -> r.credentials().list(app.id()));
        assertThat(credentials).isEmpty();
        assertThat(idpDeleted).isTrue();
    }

    @Test
    void listAll_isEveryCredentialOrderedByIdentityProviderThenClientId(StoreBackend backend) {
        try (Store fresh = backend.open(clock)) {
            Organization org = Seed.organization(fresh);
            IdentityProvider idp = Seed.externalIdp(fresh, org);
            Application shop = Seed.application(fresh, org);
            Application kiosk = Seed.application(fresh, Seed.organization(fresh));
            Credential b = fresh.write(r -> r.credentials().create(shop.id(), KeyType.SANDBOX, idp.id(), "b"));
            Credential a = fresh.write(r -> r.credentials().create(kiosk.id(), KeyType.PRODUCTION, idp.id(), "a"));
            Credential c = fresh.write(r -> r.credentials().create(shop.id(), KeyType.PRODUCTION, idp.id(), "c"));

            List<Credential> all = fresh.read(r -> r.credentials().listAll());

            assertThat(all).containsExactly(a, b, c);
        }
    }
}
