package dev.gatehouse.store;

import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.identity.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

public final class UserRepository {

    private static final String SELECT = """
            SELECT u.*, (SELECT STRING_AGG(r.name, ' ') FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                         WHERE ur.user_id = u.id) AS role_names,
                        (SELECT STRING_AGG(g.name, ' ') FROM idp_group_members gm JOIN idp_groups g ON g.id = gm.group_id
                         WHERE gm.user_id = u.id) AS group_names,
                        (SELECT STRING_AGG(r.name, ' ') FROM idp_group_members gm
                         JOIN idp_group_roles gr ON gr.group_id = gm.group_id JOIN roles r ON r.id = gr.role_id
                         WHERE gm.user_id = u.id) AS group_role_names
            FROM users u""";

    private final Handle handle;
    private final Clock clock;

    UserRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Creates a user with the given roles of its organization; every role must exist. */
    public User create(String orgId, String username, String passwordHash, Set<String> roles) {
        User user = new User(Columns.newId(), orgId, username, passwordHash, roles, clock.instant());
        handle.createUpdate("""
                        INSERT INTO users (id, org_id, username, password_hash, created_at)
                        VALUES (:id, :org, :username, :hash, :at)""")
                .bind("id", user.id())
                .bind("org", orgId)
                .bind("username", username)
                .bind("hash", passwordHash)
                .bind("at", Columns.timestamp(user.createdAt()))
                .execute();
        insertRoles(user.id(), orgId, roles);
        return user;
    }

    public Optional<User> find(String orgId, String username) {
        return handle.createQuery(SELECT + " WHERE u.org_id = :org AND u.username = :username")
                .bind("org", orgId)
                .bind("username", username)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public Optional<User> findById(String id) {
        return handle.createQuery(SELECT + " WHERE u.id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    public List<User> list(String orgId) {
        return handle.createQuery(SELECT + " WHERE u.org_id = :org ORDER BY u.username")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    /** Replaces the user's roles; every role must exist in the user's organization. */
    public void setRoles(User user, Set<String> roles) {
        handle.createUpdate("DELETE FROM user_roles WHERE user_id = :id").bind("id", user.id()).execute();
        insertRoles(user.id(), user.orgId(), roles);
    }

    public void setPasswordHash(String userId, String passwordHash) {
        handle.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                .bind("hash", passwordHash)
                .bind("id", userId)
                .execute();
    }

    public boolean delete(String userId) {
        return handle.createUpdate("DELETE FROM users WHERE id = :id").bind("id", userId).execute() == 1;
    }

    /** The union of the scopes the user's effective roles allow: their own roles' and their groups' roles'. */
    public Set<String> allowedScopes(String userId) {
        Set<String> scopes = new HashSet<>();
        handle.createQuery("""
                        SELECT r.scopes FROM roles r WHERE r.id IN (
                            SELECT ur.role_id FROM user_roles ur WHERE ur.user_id = :id
                            UNION
                            SELECT gr.role_id FROM idp_group_members gm JOIN idp_group_roles gr ON gr.group_id = gm.group_id
                            WHERE gm.user_id = :id)""")
                .bind("id", userId)
                .mapTo(String.class)
                .forEach(value -> scopes.addAll(Scopes.parse(value)));
        return Set.copyOf(scopes);
    }

    private void insertRoles(String userId, String orgId, Set<String> roles) {
        for (String role : roles) {
            int inserted = handle.createUpdate("""
                            INSERT INTO user_roles (user_id, role_id)
                            SELECT :user, id FROM roles WHERE org_id = :org AND name = :name""")
                    .bind("user", userId)
                    .bind("org", orgId)
                    .bind("name", role)
                    .execute();
            if (inserted != 1) {
                throw new IllegalArgumentException("unknown role '" + role + "'");
            }
        }
    }

    private static User map(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("org_id"), rs.getString("username"),
                rs.getString("password_hash"), Columns.tokens(rs, "role_names"), Columns.tokens(rs, "group_names"),
                Columns.tokens(rs, "group_role_names"), Columns.instant(rs, "created_at"));
    }
}
