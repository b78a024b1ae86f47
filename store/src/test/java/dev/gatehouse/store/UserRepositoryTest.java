package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class UserRepositoryTest {

    private final Store store;

    UserRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void createdUser_isFoundByUsernameAndIdWithAllItsRoles() {
        Organization org = organizationWithRoles();

        User created = store.write(r ->
                r.users().create(org.id(), "alice", "argon2-hash", Set.of(Role.ADMIN, Role.PUBLISHER)));

        Optional<User> byName = store.read(r -> r.users().find(org.id(), "alice"));
        Optional<User> byId = store.read(r -> r.users().findById(created.id()));
        assertThat(byName).contains(created);
        assertThat(byId).contains(created);
        assertThat(byName.orElseThrow().roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.PUBLISHER);
        assertThat(byName.orElseThrow().passwordHash()).isEqualTo("argon2-hash");
    }

    @Test
    void userWithoutRoles_hasNoneAndNoScopes() {
        Organization org = organizationWithRoles();

        User created = store.write(r -> r.users().create(org.id(), "bob", "hash", Set.of()));

        Optional<User> found = store.read(r -> r.users().findById(created.id()));
        Set<String> scopes = store.read(r -> r.users().allowedScopes(created.id()));
        assertThat(found.orElseThrow().roles()).isEmpty();
        assertThat(scopes).isEmpty();
    }

    @Test
    void userOfAnotherOrganization_isNotFoundByUsername() {
        Organization org = organizationWithRoles();
        Organization other = Seed.organization(store);
        store.write(r -> r.users().create(org.id(), "alice", "hash", Set.of()));

        Optional<User> found = store.read(r -> r.users().find(other.id(), "alice"));

        assertThat(found).isEmpty();
    }

    @Test
    void list_isOrderedByUsernameWithEachUsersRoles() {
        Organization org = organizationWithRoles();
        store.write(r -> r.users().create(org.id(), "carol", "hash", Set.of(Role.SUBSCRIBER)));
        store.write(r -> r.users().create(org.id(), "alice", "hash", Set.of(Role.ADMIN, Role.SUBSCRIBER)));
        store.write(r -> r.users().create(org.id(), "bob", "hash", Set.of()));

        List<User> users = store.read(r -> r.users().list(org.id()));

        assertThat(users).extracting(User::username).containsExactly("alice", "bob", "carol");
        assertThat(users).extracting(User::roles).containsExactly(
                Set.of(Role.ADMIN, Role.SUBSCRIBER), Set.of(), Set.of(Role.SUBSCRIBER));
    }

    @Test
    void allowedScopes_isTheUnionOfTheScopesOfTheUsersRoles() {
        Organization org = organizationWithRoles();
        User user = store.write(r -> r.users().create(org.id(), "alice", "hash", Set.of(Role.ADMIN, Role.PUBLISHER)));

        Set<String> scopes = store.read(r -> r.users().allowedScopes(user.id()));

        assertThat(scopes).containsExactlyInAnyOrder("orgs:manage", "apis:read", "apis:write");
    }

    @Test
    void setRoles_replacesTheRoles() {
        Organization org = organizationWithRoles();
        User user = store.write(r -> r.users().create(org.id(), "alice", "hash", Set.of(Role.ADMIN)));

        store.write(r -> {
            r.users().setRoles(user, Set.of(Role.PUBLISHER, Role.SUBSCRIBER));
            return null;
        });

        Optional<User> found = store.read(r -> r.users().findById(user.id()));
        assertThat(found.orElseThrow().roles()).containsExactlyInAnyOrder(Role.PUBLISHER, Role.SUBSCRIBER);
    }

    @Test
    void setRolesWithAnUnknownRole_isRefusedAndKeepsTheOldRoles() {
        Organization org = organizationWithRoles();
        User user = store.write(r -> r.users().create(org.id(), "alice", "hash", Set.of(Role.ADMIN)));

        assertThatThrownBy(() -> store.write(r -> {
            r.users().setRoles(user, Set.of("auditor"));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("unknown role 'auditor'");

        Optional<User> found = store.read(r -> r.users().findById(user.id()));
        assertThat(found.orElseThrow().roles()).containsExactly(Role.ADMIN);
    }

    @Test
    void deletedRole_isGoneFromItsUsers() {
        Organization org = organizationWithRoles();
        User user = store.write(r -> r.users().create(org.id(), "alice", "hash", Set.of(Role.ADMIN, Role.PUBLISHER)));

        store.write(r -> r.roles().delete(org.id(), Role.ADMIN));

        Optional<User> found = store.read(r -> r.users().findById(user.id()));
        assertThat(found.orElseThrow().roles()).containsExactly(Role.PUBLISHER);
    }

    @Test
    void setPasswordHash_replacesTheHash() {
        Organization org = organizationWithRoles();
        User user = store.write(r -> r.users().create(org.id(), "alice", "old-hash", Set.of()));

        store.write(r -> {
            r.users().setPasswordHash(user.id(), "new-hash");
            return null;
        });

        Optional<User> found = store.read(r -> r.users().findById(user.id()));
        assertThat(found.orElseThrow().passwordHash()).isEqualTo("new-hash");
    }

    @Test
    void delete_removesTheUserAndTellsWhetherItExisted() {
        Organization org = organizationWithRoles();
        User user = store.write(r -> r.users().create(org.id(), "alice", "hash", Set.of(Role.ADMIN)));

        boolean deleted = store.write(r -> r.users().delete(user.id()));
        boolean deletedAgain = store.write(r -> r.users().delete(user.id()));

        Optional<User> found = store.read(r -> r.users().findById(user.id()));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(found).isEmpty();
    }

    private Organization organizationWithRoles() {
        Organization org = Seed.organization(store);
        store.write(r -> {
            r.roles().create(org.id(), Role.ADMIN, Set.of("orgs:manage", "apis:read"));
            r.roles().create(org.id(), Role.PUBLISHER, Set.of("apis:read", "apis:write"));
            return r.roles().create(org.id(), Role.SUBSCRIBER, Set.of());
        });
        return org;
    }
}
