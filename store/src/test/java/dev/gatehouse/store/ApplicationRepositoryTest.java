package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.consumer.Application;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class ApplicationRepositoryTest {

    private final Store store;

    ApplicationRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void createdApplication_isFoundWithItsOwner() {
        Organization org = Seed.organization(store);
        User owner = Seed.user(store, org);

        Application created = store.write(r -> r.applications().create(org.id(), "Shop", "The web shop", owner.id()));

        Optional<Application> found = store.read(r -> r.applications().find(org.id(), created.id()));
        assertThat(found).contains(created);
        assertThat(created.ownerId()).isEqualTo(owner.id());
    }

    @Test
    void applicationOfAnotherOrganization_isNotFound() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        Application app = Seed.application(store, org);

        Optional<Application> found = store.read(r -> r.applications().find(other.id(), app.id()));

        assertThat(found).isEmpty();
    }

    @Test
    void list_isEveryApplicationOfTheOrganizationOrderedByName() {
        Organization org = Seed.organization(store);
        User alice = Seed.user(store, org);
        User bob = Seed.user(store, org);
        store.write(r -> r.applications().create(org.id(), "Shop", "", alice.id()));
        store.write(r -> r.applications().create(org.id(), "Mobile", "", bob.id()));
        store.write(r -> r.applications().create(org.id(), "Kiosk", "", alice.id()));
        Seed.application(store, Seed.organization(store));

        List<Application> all = store.read(r -> r.applications().list(org.id()));

        assertThat(all).extracting(Application::name).containsExactly("Kiosk", "Mobile", "Shop");
    }

    @Test
    void listOwnedBy_isTheOwnersApplicationsOrderedByName() {
        Organization org = Seed.organization(store);
        User alice = Seed.user(store, org);
        User bob = Seed.user(store, org);
        store.write(r -> r.applications().create(org.id(), "Shop", "", alice.id()));
        store.write(r -> r.applications().create(org.id(), "Mobile", "", bob.id()));
        store.write(r -> r.applications().create(org.id(), "Kiosk", "", alice.id()));

        List<Application> owned = store.read(r -> r.applications().listOwnedBy(org.id(), alice.id()));

        assertThat(owned).extracting(Application::name).containsExactly("Kiosk", "Shop");
    }

    @Test
    void delete_removesTheApplicationAndTellsWhetherItExisted() {
        Organization org = Seed.organization(store);
        Application app = Seed.application(store, org);

        boolean deleted = store.write(r -> r.applications().delete(org.id(), app.id()));
        boolean deletedAgain = store.write(r -> r.applications().delete(org.id(), app.id()));

        Optional<Application> found = store.read(r -> r.applications().find(org.id(), app.id()));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(found).isEmpty();
    }

    @Test
    void deletingTheOwner_deletesTheirApplications() {
        Organization org = Seed.organization(store);
        User owner = Seed.user(store, org);
        Application app = store.write(r -> r.applications().create(org.id(), "Shop", "", owner.id()));

        store.write(r -> r.users().delete(owner.id()));

        Optional<Application> found = store.read(r -> r.applications().find(org.id(), app.id()));
        assertThat(found).isEmpty();
    }
}
