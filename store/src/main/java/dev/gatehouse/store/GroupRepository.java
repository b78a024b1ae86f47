package dev.gatehouse.store;

import dev.gatehouse.model.identity.Group;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** The groups of an organization's built-in identity provider, their members and their roles. */
public final class GroupRepository {

    private static final String SELECT = """
            SELECT g.*, (SELECT STRING_AGG(u.username, ' ') FROM idp_group_members gm JOIN users u ON u.id = gm.user_id
                         WHERE gm.group_id = g.id) AS member_names,
                        (SELECT STRING_AGG(r.name, ' ') FROM idp_group_roles gr JOIN roles r ON r.id = gr.role_id
                         WHERE gr.group_id = g.id) AS role_names
            FROM idp_groups g""";

    private final Handle handle;
    private final Clock clock;

    GroupRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Creates an empty group; its name is unique within the organization ({@code idp_groups_name_key}). */
    public Group create(String orgId, String name) {
        Group group = new Group(Columns.newId(), orgId, name, Set.of(), Set.of(), clock.instant());
        handle.createUpdate("INSERT INTO idp_groups (id, org_id, name, created_at) VALUES (:id, :org, :name, :at)")
                .bind("id", group.id())
                .bind("org", orgId)
                .bind("name", name)
                .bind("at", Columns.timestamp(group.createdAt()))
                .execute();
        return group;
    }

    public Optional<Group> find(String orgId, String name) {
        return handle.createQuery(SELECT + " WHERE g.org_id = :org AND g.name = :name")
                .bind("org", orgId)
                .bind("name", name)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public List<Group> list(String orgId) {
        return handle.createQuery(SELECT + " WHERE g.org_id = :org ORDER BY g.name")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public boolean delete(String orgId, String name) {
        return handle.createUpdate("DELETE FROM idp_groups WHERE org_id = :org AND name = :name")
                .bind("org", orgId)
                .bind("name", name)
                .execute() == 1;
    }

    /**
     * Replaces the group's members by the users of its organization with these usernames.
     *
     * @throws IllegalArgumentException naming the first username that is no user of the organization
     */
    public void setMembers(Group group, Set<String> usernames) {
        handle.createUpdate("DELETE FROM idp_group_members WHERE group_id = :id").bind("id", group.id()).execute();
        for (String username : usernames) {
            int inserted = handle.createUpdate("""
                            INSERT INTO idp_group_members (group_id, user_id)
                            SELECT :group, id FROM users WHERE org_id = :org AND username = :username""")
                    .bind("group", group.id())
                    .bind("org", group.orgId())
                    .bind("username", username)
                    .execute();
            if (inserted != 1) {
                throw new IllegalArgumentException("unknown user '" + username + "'");
            }
        }
    }

    /**
     * Replaces the group's roles by the roles of its organization with these names.
     *
     * @throws IllegalArgumentException naming the first role that is no role of the organization
     */
    public void setRoles(Group group, Set<String> roles) {
        handle.createUpdate("DELETE FROM idp_group_roles WHERE group_id = :id").bind("id", group.id()).execute();
        for (String role : roles) {
            int inserted = handle.createUpdate("""
                            INSERT INTO idp_group_roles (group_id, role_id)
                            SELECT :group, id FROM roles WHERE org_id = :org AND name = :name""")
                    .bind("group", group.id())
                    .bind("org", group.orgId())
                    .bind("name", role)
                    .execute();
            if (inserted != 1) {
                throw new IllegalArgumentException("unknown role '" + role + "'");
            }
        }
    }

    private static Group map(ResultSet rs) throws SQLException {
        return new Group(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
                Columns.tokens(rs, "member_names"), Columns.tokens(rs, "role_names"),
                Columns.instant(rs, "created_at"));
    }
}
