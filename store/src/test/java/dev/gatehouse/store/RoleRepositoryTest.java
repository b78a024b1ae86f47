package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class RoleRepositoryTest {

    private final Store store;

    RoleRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void createdRole_isFoundByNameWithItsScopes() {
        Organization org = Seed.organization(store);

        Role created = store.write(r -> r.roles().create(org.id(), Role.PUBLISHER, Set.of("apis:write", "apis:read")));

        Optional<Role> found = store.read(r -> r.roles().find(org.id(), Role.PUBLISHER));
        assertThat(found).contains(created);
        assertThat(found.orElseThrow().scopes()).containsExactlyInAnyOrder("apis:read", "apis:write");
    }

    @Test
    void roleOfAnotherOrganization_isNotFound() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        store.write(r -> r.roles().create(org.id(), Role.ADMIN, Set.of()));

        Optional<Role> found = store.read(r -> r.roles().find(other.id(), Role.ADMIN));

        assertThat(found).isEmpty();
    }

    @Test
    void list_isOrderedByName() {
        Organization org = Seed.organization(store);
        store.write(r -> r.roles().create(org.id(), Role.SUBSCRIBER, Set.of()));
        store.write(r -> r.roles().create(org.id(), Role.ADMIN, Set.of()));
        store.write(r -> r.roles().create(org.id(), Role.PUBLISHER, Set.of()));

        List<Role> roles = store.read(r -> r.roles().list(org.id()));

        assertThat(roles).extracting(Role::name).containsExactly(Role.ADMIN, Role.PUBLISHER, Role.SUBSCRIBER);
    }

    @Test
    void updateScopes_replacesThemAndTellsWhetherTheRoleExists() {
        Organization org = Seed.organization(store);
        store.write(r -> r.roles().create(org.id(), Role.ADMIN, Set.of("old")));

        boolean updated = store.write(r -> r.roles().updateScopes(org.id(), Role.ADMIN, Set.of("new", "newer")));
        boolean missing = store.write(r -> r.roles().updateScopes(org.id(), "no-such-role", Set.of("new")));

        Optional<Role> found = store.read(r -> r.roles().find(org.id(), Role.ADMIN));
        assertThat(updated).isTrue();
        assertThat(missing).isFalse();
        assertThat(found.orElseThrow().scopes()).containsExactlyInAnyOrder("new", "newer");
    }

    @Test
    void delete_removesTheRoleAndTellsWhetherItExisted() {
        Organization org = Seed.organization(store);
        store.write(r -> r.roles().create(org.id(), Role.ADMIN, Set.of()));

        boolean deleted = store.write(r -> r.roles().delete(org.id(), Role.ADMIN));
        boolean deletedAgain = store.write(r -> r.roles().delete(org.id(), Role.ADMIN));

        Optional<Role> found = store.read(r -> r.roles().find(org.id(), Role.ADMIN));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(found).isEmpty();
    }
}
