package dev.gatehouse.store;

import dev.gatehouse.model.Scopes;
import dev.gatehouse.model.identity.ApiResource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

public final class ApiResourceRepository {

    private final Handle handle;

    ApiResourceRepository(Handle handle) {
        this.handle = handle;
    }

    public ApiResource create(String orgId, String identifier, String name, Set<String> scopes) {
        ApiResource resource = new ApiResource(Columns.newId(), orgId, identifier, name, scopes);
        handle.createUpdate("""
                        INSERT INTO idp_api_resources (id, org_id, identifier, name, scopes)
                        VALUES (:id, :org, :identifier, :name, :scopes)""")
                .bind("id", resource.id())
                .bind("org", orgId)
                .bind("identifier", identifier)
                .bind("name", name)
                .bind("scopes", Columns.tokens(scopes))
                .execute();
        return resource;
    }

    /** Creates the resource, or replaces the name and scopes of the one with this identifier. */
    public ApiResource upsert(String orgId, String identifier, String name, Set<String> scopes) {
        Optional<ApiResource> existing = findByIdentifier(orgId, identifier);
        if (existing.isEmpty()) {
            return create(orgId, identifier, name, scopes);
        }
        handle.createUpdate("UPDATE idp_api_resources SET name = :name, scopes = :scopes WHERE id = :id")
                .bind("name", name)
                .bind("scopes", Columns.tokens(scopes))
                .bind("id", existing.get().id())
                .execute();
        return new ApiResource(existing.get().id(), orgId, identifier, name, scopes);
    }

    public Optional<ApiResource> findByIdentifier(String orgId, String identifier) {
        return handle.createQuery("SELECT * FROM idp_api_resources WHERE org_id = :org AND identifier = :identifier")
                .bind("org", orgId)
                .bind("identifier", identifier)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public Optional<ApiResource> findById(String orgId, String id) {
        return handle.createQuery("SELECT * FROM idp_api_resources WHERE org_id = :org AND id = :id")
                .bind("org", orgId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public List<ApiResource> list(String orgId) {
        return handle.createQuery("SELECT * FROM idp_api_resources WHERE org_id = :org ORDER BY identifier")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public boolean delete(String orgId, String id) {
        return handle.createUpdate("DELETE FROM idp_api_resources WHERE org_id = :org AND id = :id")
                .bind("org", orgId)
                .bind("id", id)
                .execute() == 1;
    }

    /** Every scope that some API resource of the organization defines. */
    public Set<String> definedScopes(String orgId) {
        Set<String> scopes = new HashSet<>();
        handle.createQuery("SELECT scopes FROM idp_api_resources WHERE org_id = :org")
                .bind("org", orgId)
                .mapTo(String.class)
                .forEach(value -> scopes.addAll(Scopes.parse(value)));
        return Set.copyOf(scopes);
    }

    private static ApiResource map(ResultSet rs) throws SQLException {
        return new ApiResource(rs.getString("id"), rs.getString("org_id"), rs.getString("identifier"),
                rs.getString("name"), Columns.tokens(rs, "scopes"));
    }
}
