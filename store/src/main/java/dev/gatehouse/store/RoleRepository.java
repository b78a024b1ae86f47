package dev.gatehouse.store;

import dev.gatehouse.model.identity.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

public final class RoleRepository {

    private final Handle handle;

    RoleRepository(Handle handle) {
        this.handle = handle;
    }

    public Role create(String orgId, String name, Set<String> scopes) {
        Role role = new Role(Columns.newId(), orgId, name, scopes);
        handle.createUpdate("INSERT INTO roles (id, org_id, name, scopes) VALUES (:id, :org, :name, :scopes)")
                .bind("id", role.id())
                .bind("org", orgId)
                .bind("name", name)
                .bind("scopes", Columns.tokens(scopes))
                .execute();
        return role;
    }

    public Optional<Role> find(String orgId, String name) {
        return handle.createQuery("SELECT * FROM roles WHERE org_id = :org AND name = :name")
                .bind("org", orgId)
                .bind("name", name)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public List<Role> list(String orgId) {
        return handle.createQuery("SELECT * FROM roles WHERE org_id = :org ORDER BY name")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public boolean updateScopes(String orgId, String name, Set<String> scopes) {
        return handle.createUpdate("UPDATE roles SET scopes = :scopes WHERE org_id = :org AND name = :name")
                .bind("scopes", Columns.tokens(scopes))
                .bind("org", orgId)
                .bind("name", name)
                .execute() == 1;
    }

    public boolean delete(String orgId, String name) {
        return handle.createUpdate("DELETE FROM roles WHERE org_id = :org AND name = :name")
                .bind("org", orgId)
                .bind("name", name)
                .execute() == 1;
    }

    private static Role map(ResultSet rs) throws SQLException {
        return new Role(rs.getString("id"), rs.getString("org_id"), rs.getString("name"), Columns.tokens(rs, "scopes"));
    }
}
