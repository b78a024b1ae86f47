package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.ApiResource;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class ApiResourceRepositoryTest {

    private static final String ORDERS = "https://api.example.com/orders";

    private final Store store;

    ApiResourceRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void createdResource_isFoundByIdentifierAndById() {
        Organization org = Seed.organization(store);

        ApiResource created = store.write(r ->
                r.apiResources().create(org.id(), ORDERS, "Orders", Set.of("orders:read", "orders:write")));

        Optional<ApiResource> byIdentifier = store.read(r -> r.apiResources().findByIdentifier(org.id(), ORDERS));
        Optional<ApiResource> byId = store.read(r -> r.apiResources().findById(org.id(), created.id()));
        assertThat(byIdentifier).contains(created);
        assertThat(byId).contains(created);
    }

    @Test
    void resourceOfAnotherOrganization_isNotFound() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        ApiResource created = store.write(r -> r.apiResources().create(org.id(), ORDERS, "Orders", Set.of()));

        Optional<ApiResource> byIdentifier = store.read(r -> r.apiResources().findByIdentifier(other.id(), ORDERS));
        Optional<ApiResource> byId = store.read(r -> r.apiResources().findById(other.id(), created.id()));

        assertThat(byIdentifier).isEmpty();
        assertThat(byId).isEmpty();
    }

    @Test
    void upsertOfANewIdentifier_createsTheResource() {
        Organization org = Seed.organization(store);

        ApiResource upserted = store.write(r -> r.apiResources().upsert(org.id(), ORDERS, "Orders", Set.of("a")));

        Optional<ApiResource> found = store.read(r -> r.apiResources().findByIdentifier(org.id(), ORDERS));
        assertThat(found).contains(upserted);
    }

    @Test
    void upsertOfAKnownIdentifier_replacesNameAndScopesAndKeepsTheId() {
        Organization org = Seed.organization(store);
        ApiResource created = store.write(r -> r.apiResources().create(org.id(), ORDERS, "Orders", Set.of("a")));

        ApiResource upserted = store.write(r ->
                r.apiResources().upsert(org.id(), ORDERS, "Orders v2", Set.of("b", "c")));

        assertThat(upserted).isEqualTo(new ApiResource(created.id(), org.id(), ORDERS, "Orders v2", Set.of("b", "c")));
        List<ApiResource> all = store.read(r -> r.apiResources().list(org.id()));
        assertThat(all).containsExactly(upserted);
    }

    @Test
    void list_isOrderedByIdentifier() {
        Organization org = Seed.organization(store);
        store.write(r -> r.apiResources().create(org.id(), "https://api.example.com/payments", "Payments", Set.of()));
        store.write(r -> r.apiResources().create(org.id(), ORDERS, "Orders", Set.of()));
        store.write(r -> r.apiResources().create(org.id(), "https://api.example.com/users", "Users", Set.of()));

        List<ApiResource> all = store.read(r -> r.apiResources().list(org.id()));

        assertThat(all).extracting(ApiResource::name).containsExactly("Orders", "Payments", "Users");
    }

    @Test
    void definedScopes_isTheUnionOfTheScopesOfTheOrganizationsResources() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        store.write(r -> r.apiResources().create(org.id(), ORDERS, "Orders", Set.of("orders:read", "shared")));
        store.write(r -> r.apiResources().create(org.id(), "https://api.example.com/users", "Users",
                Set.of("users:read", "shared")));
        store.write(r -> r.apiResources().create(other.id(), ORDERS, "Orders", Set.of("elsewhere")));

        Set<String> scopes = store.read(r -> r.apiResources().definedScopes(org.id()));

        assertThat(scopes).containsExactlyInAnyOrder("orders:read", "users:read", "shared");
    }

    @Test
    void delete_removesTheResourceAndTellsWhetherItExisted() {
        Organization org = Seed.organization(store);
        ApiResource created = store.write(r -> r.apiResources().create(org.id(), ORDERS, "Orders", Set.of()));

        boolean deleted = store.write(r -> r.apiResources().delete(org.id(), created.id()));
        boolean deletedAgain = store.write(r -> r.apiResources().delete(org.id(), created.id()));

        List<ApiResource> all = store.read(r -> r.apiResources().list(org.id()));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(all).isEmpty();
    }
}
