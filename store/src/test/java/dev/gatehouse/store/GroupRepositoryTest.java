package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.Group;
import dev.gatehouse.model.identity.Role;
import dev.gatehouse.model.identity.User;
import dev.gatehouse.store.testing.StoreTest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@StoreTest
class GroupRepositoryTest {

    private final Store store;

    GroupRepositoryTest(Store store) {
        this.store = store;
    }

    @Test
    void aMemberHoldsTheGroupsRoles_andTheirScopes_besidesTheirOwn() {
        Organization org = Seed.organization(store);
        store.write(r -> r.roles().create(org.id(), Role.PUBLISHER, Set.of("apis:write")));
        store.write(r -> r.roles().create(org.id(), "reader", Set.of("orders:read")));
        User user = store.write(r -> r.users().create(org.id(), "gail", "hash", Set.of("reader")));
        Group group = store.write(r -> r.groups().create(org.id(), "publishers"));

        store.write(r -> {
            r.groups().setMembers(group, Set.of("gail"));
            r.groups().setRoles(group, Set.of(Role.PUBLISHER, "reader"));
            return null;
        });

        User found = store.read(r -> r.users().findById(user.id())).orElseThrow();
        assertThat(found.roles()).containsExactly("reader");
        assertThat(found.groups()).containsExactly("publishers");
        assertThat(found.groupRoles()).containsExactlyInAnyOrder(Role.PUBLISHER, "reader");
        assertThat(found.effectiveRoles()).containsExactly(Role.PUBLISHER, "reader");
        assertThat(found.hasRole(Role.PUBLISHER)).isTrue();
        Set<String> scopes = store.read(r -> r.users().allowedScopes(user.id()));
        assertThat(scopes).containsExactlyInAnyOrder("apis:write", "orders:read");
        Group read = store.read(r -> r.groups().find(org.id(), "publishers")).orElseThrow();
        assertThat(read.members()).containsExactly("gail");
        assertThat(read.roles()).containsExactlyInAnyOrder(Role.PUBLISHER, "reader");
    }

    @Test
    void aDeletedGroup_takesItsRolesAwayFromItsMembers() {
        Organization org = Seed.organization(store);
        store.write(r -> r.roles().create(org.id(), Role.ADMIN, Set.of("everything")));
        User user = store.write(r -> r.users().create(org.id(), "gus", "hash", Set.of()));
        Group group = store.write(r -> r.groups().create(org.id(), "admins"));
        store.write(r -> {
            r.groups().setMembers(group, Set.of("gus"));
            r.groups().setRoles(group, Set.of(Role.ADMIN));
            return null;
        });

        boolean deleted = store.write(r -> r.groups().delete(org.id(), "admins"));
        boolean deletedAgain = store.write(r -> r.groups().delete(org.id(), "admins"));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();

        User found = store.read(r -> r.users().findById(user.id())).orElseThrow();
        assertThat(found.groups()).isEmpty();
        assertThat(found.hasRole(Role.ADMIN)).isFalse();
        Set<String> scopes = store.read(r -> r.users().allowedScopes(user.id()));
        assertThat(scopes).isEmpty();
    }

    @Test
    void aGroupName_isUniquePerOrganization() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        store.write(r -> r.groups().create(org.id(), "ops"));
        store.write(r -> r.groups().create(other.id(), "ops"));

        assertThatThrownBy(() -> store.write(r -> r.groups().create(org.id(), "ops")))
                .isInstanceOfSatisfying(StoreConflictException.class,
                        e -> assertThat(e.constraint()).isEqualTo("idp_groups_name_key"));
        List<Group> groups = store.read(r -> r.groups().list(org.id()));
        assertThat(groups).extracting(Group::name).containsExactly("ops");
    }

    @Test
    void anUnknownMemberOrRole_isRefused_andTheGroupIsLeftAsItWas() {
        Organization org = Seed.organization(store);
        Organization other = Seed.organization(store);
        store.write(r -> r.users().create(org.id(), "gina", "hash", Set.of()));
        store.write(r -> r.users().create(other.id(), "stranger", "hash", Set.of()));
        Group group = store.write(r -> r.groups().create(org.id(), "team"));
        store.write(r -> {
            r.groups().setMembers(group, Set.of("gina"));
            return null;
        });

        assertThatThrownBy(() -> store.write(r -> {
            r.groups().setMembers(group, Set.of("stranger"));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("unknown user 'stranger'");
        assertThatThrownBy(() -> store.write(r -> {
            r.groups().setRoles(group, Set.of("no-such-role"));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("unknown role 'no-such-role'");

        assertThat(store.read(r -> r.groups().find(org.id(), "team")).orElseThrow().members()).containsExactly("gina");
    }
}
