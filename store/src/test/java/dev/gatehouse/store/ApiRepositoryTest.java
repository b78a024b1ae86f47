package dev.gatehouse.store;

import static dev.gatehouse.store.Seed.BACKENDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.Permission;
import dev.gatehouse.model.api.Resource;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.testing.StoreTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class ApiRepositoryTest {

    private static final Permission READ = new Permission("read", "Read orders");
    private static final Permission WRITE = new Permission("write", "Place orders");

    private final Store store;
    private final TestClock clock;

    ApiRepositoryTest(Store store, TestClock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Test
    void createdApi_isFoundInStateCreatedWithItsBackends() {
        Organization org = Seed.organization(store);

        Api created = store.write(r -> r.apis().create(org.id(), "Orders", "orders", "v1", "/orders",
                "Orders API", BACKENDS));

        Optional<Api> found = find(org, created);
        assertThat(found).contains(created);
        assertThat(created.lifecycle()).isEqualTo(Lifecycle.CREATED);
        assertThat(created.backends()).isEqualTo(BACKENDS);
        assertThat(created.createdAt()).isEqualTo(created.updatedAt());
    }

    @Test
    void apiOfAnotherOrganization_isNotFound() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");

        Optional<Api> found = find(other, api);

        assertThat(found).isEmpty();
    }

    @Test
    void list_isOrderedByNameThenVersionWithPermissionsAndResources() {
        Organization org = Seed.organization(store);
        Api ordersV2 = store.write(r -> r.apis().create(org.id(), "Orders", "orders", "v2", "/orders", "", BACKENDS));
        Api users = store.write(r -> r.apis().create(org.id(), "Users", "users", "v1", "/users", "", BACKENDS));
        Api ordersV1 = store.write(r -> r.apis().create(org.id(), "Orders", "orders", "v1", "/orders", "", BACKENDS));
        store.write(r -> {
            r.apis().addPermission(ordersV1.id(), READ);
            return r.apis().addResource(ordersV1.id(), "GET", "/orders", Set.of("read"));
        });

        List<Api> apis = store.read(r -> r.apis().list(org.id()));

        assertThat(apis).extracting(Api::id).containsExactly(ordersV1.id(), ordersV2.id(), users.id());
        assertThat(apis.getFirst().permissions()).containsExactly(READ);
        assertThat(apis.getFirst().resources()).extracting(Resource::path).containsExactly("/orders");
    }

    @Test
    void forwardAuthorization_isOffForANewApi_andCanBeTurnedOnAndOff() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        assertThat(api.forwardAuthorization()).isFalse();
        assertThat(find(org, api).orElseThrow().forwardAuthorization()).isFalse();

        store.write(r -> {
            r.apis().setForwardAuthorization(api.id(), true);
            return null;
        });
        assertThat(find(org, api).orElseThrow().forwardAuthorization()).isTrue();

        store.write(r -> {
            r.apis().setForwardAuthorization(api.id(), false);
            return null;
        });
        assertThat(find(org, api).orElseThrow().forwardAuthorization()).isFalse();
    }

    @Test
    void corsOrigins_areNoneForANewApi_andCanBeSetAndCleared() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        assertThat(find(org, api).orElseThrow().corsOrigins()).isEmpty();

        store.write(r -> {
            r.apis().setCorsOrigins(api.id(), Set.of("https://app.example.com", "http://localhost:3000"));
            return null;
        });
        assertThat(find(org, api).orElseThrow().corsOrigins())
                .containsExactlyInAnyOrder("https://app.example.com", "http://localhost:3000");

        store.write(r -> {
            r.apis().setCorsOrigins(api.id(), Set.of());
            return null;
        });
        assertThat(find(org, api).orElseThrow().corsOrigins()).isEmpty();
    }

    @Test
    void update_replacesDescriptionAndBackendsAndMovesUpdatedAt() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Instant later = clock.advance(Duration.ofMinutes(5));
        Map<Environment, String> moved = Map.of(
                Environment.PRODUCTION, "https://new.example.com",
                Environment.DEVELOPMENT, "https://new.dev.example.com");

        store.write(r -> {
            r.apis().update(api.id(), "New description", moved);
            return null;
        });

        Api found = find(org, api).orElseThrow();
        assertThat(found.description()).isEqualTo("New description");
        assertThat(found.backends()).isEqualTo(moved);
        assertThat(found.createdAt()).isEqualTo(api.createdAt());
        assertThat(found.updatedAt()).isEqualTo(later);
    }

    @Test
    void setLifecycle_changesTheState() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");

        store.write(r -> {
            r.apis().setLifecycle(api.id(), Lifecycle.PUBLISHED);
            return null;
        });

        assertThat(find(org, api).orElseThrow().lifecycle()).isEqualTo(Lifecycle.PUBLISHED);
    }

    @Test
    void permissions_keepTheOrderTheyWereAddedIn() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Permission admin = new Permission("admin", "Administer orders");

        store.write(r -> {
            r.apis().addPermission(api.id(), WRITE);
            r.apis().addPermission(api.id(), READ);
            r.apis().addPermission(api.id(), admin);
            return null;
        });

        assertThat(find(org, api).orElseThrow().permissions()).containsExactly(WRITE, READ, admin);
    }

    @Test
    void addingAPermission_movesUpdatedAt() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Instant later = clock.advance(Duration.ofMinutes(1));

        store.write(r -> {
            r.apis().addPermission(api.id(), READ);
            return null;
        });

        assertThat(find(org, api).orElseThrow().updatedAt()).isEqualTo(later);
    }

    @Test
    void removePermission_removesItFromTheApiAndFromEveryResource() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        store.write(r -> {
            r.apis().addPermission(api.id(), READ);
            r.apis().addPermission(api.id(), WRITE);
            r.apis().addResource(api.id(), "GET", "/orders", Set.of("read", "write"));
            return r.apis().addResource(api.id(), "POST", "/orders", Set.of("write"));
        });
        Api withChildren = find(org, api).orElseThrow();

        boolean removed = store.write(r -> r.apis().removePermission(withChildren, "write"));
        boolean removedAgain = store.write(r -> r.apis().removePermission(withChildren, "write"));

        Api found = find(org, api).orElseThrow();
        assertThat(removed).isTrue();
        assertThat(removedAgain).isFalse();
        assertThat(found.permissions()).containsExactly(READ);
        assertThat(found.resources()).extracting(Resource::permissions).containsExactly(Set.of("read"), Set.of());
    }

    @Test
    void resources_keepTheOrderTheyWereAddedInWithTheirPermissions() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");

        List<Resource> added = store.write(r -> List.of(
                r.apis().addResource(api.id(), "POST", "/orders", Set.of("write")),
                r.apis().addResource(api.id(), "GET", "/orders/{id}", Set.of("read", "write")),
                r.apis().addResource(api.id(), "GET", "/orders", Set.of())));

        assertThat(find(org, api).orElseThrow().resources()).isEqualTo(added);
    }

    @Test
    void setResourcePermissions_replacesThem() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Resource resource = store.write(r -> r.apis().addResource(api.id(), "GET", "/orders", Set.of("read")));

        store.write(r -> {
            r.apis().setResourcePermissions(resource.id(), Set.of("write", "admin"));
            return null;
        });

        Resource found = find(org, api).orElseThrow().resource(resource.id()).orElseThrow();
        assertThat(found.permissions()).containsExactlyInAnyOrder("write", "admin");
    }

    @Test
    void removeResource_removesItAndTellsWhetherItExisted() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        Resource kept = store.write(r -> r.apis().addResource(api.id(), "GET", "/orders", Set.of()));
        Resource gone = store.write(r -> r.apis().addResource(api.id(), "POST", "/orders", Set.of()));

        boolean removed = store.write(r -> r.apis().removeResource(api.id(), gone.id()));
        boolean removedAgain = store.write(r -> r.apis().removeResource(api.id(), gone.id()));

        assertThat(removed).isTrue();
        assertThat(removedAgain).isFalse();
        assertThat(find(org, api).orElseThrow().resources()).containsExactly(kept);
    }

    @Test
    void delete_removesTheApiWithItsPermissionsAndResources() {
        Organization org = Seed.organization(store);
        Api api = Seed.api(store, org, "/orders");
        store.write(r -> {
            r.apis().addPermission(api.id(), READ);
            return r.apis().addResource(api.id(), "GET", "/orders", Set.of("read"));
        });

        boolean deleted = store.write(r -> r.apis().delete(org.id(), api.id()));
        boolean deletedAgain = store.write(r -> r.apis().delete(org.id(), api.id()));

        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(find(org, api)).isEmpty();
    }

    private Optional<Api> find(Organization org, Api api) {
        return store.read(r -> r.apis().find(org.id(), api.id()));
    }
}
