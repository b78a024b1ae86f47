package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreBackend;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@StoreTest
class OrganizationRepositoryTest {

    private final Store store;

    OrganizationRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void createdOrganization_isFoundByHandleAndById() {
        String handle = Seed.unique("acme");

        Organization created = store.write(r -> r.organizations().create(handle, "Acme Corp"));

        assertThat(created.handle()).isEqualTo(handle);
        assertThat(created.name()).isEqualTo("Acme Corp");
        assertThat(created.createdAt()).isEqualTo(TestClock.START);
        Optional<Organization> byHandle = store.read(r -> r.organizations().findByHandle(handle));
        Optional<Organization> byId = store.read(r -> r.organizations().findById(created.id()));
        assertThat(byHandle).contains(created);
        assertThat(byId).contains(created);
    }

    @Test
    void unknownHandleOrId_isNotFound() {
        Optional<Organization> byHandle = store.read(r -> r.organizations().findByHandle("no-such-org"));
        Optional<Organization> byId = store.read(r -> r.organizations().findById("no-such-id"));

        assertThat(byHandle).isEmpty();
        assertThat(byId).isEmpty();
    }

    @Test
    void list_isOrderedByHandle_andIsEmptyOnlyBeforeTheFirst(StoreBackend backend, TestClock clock) {
        try (Store fresh = backend.open(clock)) {
            boolean emptyAtFirst = fresh.read(r -> r.organizations().isEmpty());

            fresh.write(r -> r.organizations().create("globex", "Globex"));
            fresh.write(r -> r.organizations().create("acme", "Acme"));
            fresh.write(r -> r.organizations().create("initech", "Initech"));

            List<Organization> all = fresh.read(r -> r.organizations().list());
            boolean emptyAfter = fresh.read(r -> r.organizations().isEmpty());
            assertThat(all).extracting(Organization::handle).containsExactly("acme", "globex", "initech");
            assertThat(emptyAtFirst).isTrue();
            assertThat(emptyAfter).isFalse();
        }
    }
}
