package dev.gatehouse.store;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Lifecycle;
import dev.gatehouse.model.api.Api;
import dev.gatehouse.model.api.Permission;
import dev.gatehouse.model.api.Resource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/** APIs as their publishers edit them, with their permissions and resources. */
public final class ApiRepository {

    private final Handle handle;
    private final Clock clock;

    ApiRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Api create(String orgId, String name, String apiHandle, String version, String context,
                      String description, Map<Environment, String> backends) {
        Instant now = clock.instant();
        String id = Columns.newId();
        handle.createUpdate("""
                        INSERT INTO apis (id, org_id, name, handle, version, context, description, lifecycle,
                                          backend_production, backend_development, created_at, updated_at)
                        VALUES (:id, :org, :name, :handle, :version, :context, :description, :lifecycle,
                                :production, :development, :at, :at)""")
                .bind("id", id)
                .bind("org", orgId)
                .bind("name", name)
                .bind("handle", apiHandle)
                .bind("version", version)
                .bind("context", context)
                .bind("description", description)
                .bind("lifecycle", Lifecycle.CREATED.name())
                .bind("production", backends.get(Environment.PRODUCTION))
                .bind("development", backends.get(Environment.DEVELOPMENT))
                .bind("at", Columns.timestamp(now))
                .execute();
        return new Api(id, orgId, name, apiHandle, version, context, description, Lifecycle.CREATED, backends,
                List.of(), List.of(), now, now, false, Set.of());
    }

    public Optional<Api> find(String orgId, String apiId) {
        return handle.createQuery("SELECT * FROM apis WHERE org_id = :org AND id = :id")
                .bind("org", orgId)
                .bind("id", apiId)
                .map((rs, ctx) -> mapHead(rs))
                .findOne()
                .map(this::withChildren);
    }

    public List<Api> list(String orgId) {
        return handle.createQuery("SELECT * FROM apis WHERE org_id = :org ORDER BY name, version")
                .bind("org", orgId)
                .map((rs, ctx) -> mapHead(rs))
                .list()
                .stream()
                .map(this::withChildren)
                .toList();
    }

    public void update(String apiId, String description, Map<Environment, String> backends) {
        handle.createUpdate("""
                        UPDATE apis SET description = :description, backend_production = :production,
                                        backend_development = :development, updated_at = :at
                        WHERE id = :id""")
                .bind("description", description)
                .bind("production", backends.get(Environment.PRODUCTION))
                .bind("development", backends.get(Environment.DEVELOPMENT))
                .bind("at", Columns.timestamp(clock.instant()))
                .bind("id", apiId)
                .execute();
    }

    /** Whether the gateways pass the caller's {@code Authorization} header on to the API's backend. */
    public void setForwardAuthorization(String apiId, boolean forward) {
        handle.createUpdate("UPDATE apis SET forward_authorization = :forward, updated_at = :at WHERE id = :id")
                .bind("forward", forward)
                .bind("at", Columns.timestamp(clock.instant()))
                .bind("id", apiId)
                .execute();
    }

    /** The browser origins allowed to call the API cross-origin; empty turns CORS off. */
    public void setCorsOrigins(String apiId, Set<String> origins) {
        handle.createUpdate("UPDATE apis SET cors_origins = :origins, updated_at = :at WHERE id = :id")
                .bind("origins", Columns.tokens(origins))
                .bind("at", Columns.timestamp(clock.instant()))
                .bind("id", apiId)
                .execute();
    }

    public void setLifecycle(String apiId, Lifecycle lifecycle) {
        handle.createUpdate("UPDATE apis SET lifecycle = :lifecycle, updated_at = :at WHERE id = :id")
                .bind("lifecycle", lifecycle.name())
                .bind("at", Columns.timestamp(clock.instant()))
                .bind("id", apiId)
                .execute();
    }

    public boolean delete(String orgId, String apiId) {
        return handle.createUpdate("DELETE FROM apis WHERE org_id = :org AND id = :id")
                .bind("org", orgId)
                .bind("id", apiId)
                .execute() == 1;
    }

    public void addPermission(String apiId, Permission permission) {
        handle.createUpdate("""
                        INSERT INTO api_permissions (api_id, permission, description, position)
                        VALUES (:api, :permission, :description,
                                (SELECT COALESCE(MAX(position), 0) + 1 FROM api_permissions WHERE api_id = :api))""")
                .bind("api", apiId)
                .bind("permission", permission.value())
                .bind("description", permission.description())
                .execute();
        touch(apiId);
    }

    /** Removes the permission from the API and from every resource it was attached to. */
    public boolean removePermission(Api api, String value) {
        for (Resource resource : api.resources()) {
            if (resource.permissions().contains(value)) {
                Set<String> rest = new HashSet<>(resource.permissions());
                rest.remove(value);
                setResourcePermissions(resource.id(), rest);
            }
        }
        boolean removed = handle.createUpdate("DELETE FROM api_permissions WHERE api_id = :api AND permission = :permission")
                .bind("api", api.id())
                .bind("permission", value)
                .execute() == 1;
        touch(api.id());
        return removed;
    }

    public Resource addResource(String apiId, String method, String path, Set<String> permissions) {
        Resource resource = new Resource(Columns.newId(), method, path, permissions);
        handle.createUpdate("""
                        INSERT INTO api_resources (id, api_id, method, path, permissions, position)
                        VALUES (:id, :api, :method, :path, :permissions,
                                (SELECT COALESCE(MAX(position), 0) + 1 FROM api_resources WHERE api_id = :api))""")
                .bind("id", resource.id())
                .bind("api", apiId)
                .bind("method", method)
                .bind("path", path)
                .bind("permissions", Columns.tokens(permissions))
                .execute();
        touch(apiId);
        return resource;
    }

    public void setResourcePermissions(String resourceId, Set<String> permissions) {
        handle.createUpdate("UPDATE api_resources SET permissions = :permissions WHERE id = :id")
                .bind("permissions", Columns.tokens(permissions))
                .bind("id", resourceId)
                .execute();
    }

    public boolean removeResource(String apiId, String resourceId) {
        boolean removed = handle.createUpdate("DELETE FROM api_resources WHERE api_id = :api AND id = :id")
                .bind("api", apiId)
                .bind("id", resourceId)
                .execute() == 1;
        touch(apiId);
        return removed;
    }

    private void touch(String apiId) {
        handle.createUpdate("UPDATE apis SET updated_at = :at WHERE id = :id")
                .bind("at", Columns.timestamp(clock.instant()))
                .bind("id", apiId)
                .execute();
    }

    private Api withChildren(Api head) {
        List<Permission> permissions = handle.createQuery(
                        "SELECT * FROM api_permissions WHERE api_id = :api ORDER BY position")
                .bind("api", head.id())
                .map((rs, ctx) -> new Permission(rs.getString("permission"), rs.getString("description")))
                .list();
        List<Resource> resources = handle.createQuery("SELECT * FROM api_resources WHERE api_id = :api ORDER BY position")
                .bind("api", head.id())
                .map((rs, ctx) -> new Resource(rs.getString("id"), rs.getString("method"), rs.getString("path"),
                        Columns.tokens(rs, "permissions")))
                .list();
        return new Api(head.id(), head.orgId(), head.name(), head.handle(), head.version(), head.context(),
                head.description(), head.lifecycle(), head.backends(), permissions, resources, head.createdAt(),
                head.updatedAt(), head.forwardAuthorization(), head.corsOrigins());
    }

    /** Sets the tier that limits all calls to the API, whatever application makes them. */
    public void setTier(String apiId, String tier) {
        handle.createUpdate("UPDATE apis SET tier = :tier WHERE id = :id").bind("tier", tier).bind("id", apiId)
                .execute();
    }

    public String tier(String apiId) {
        return handle.createQuery("SELECT tier FROM apis WHERE id = :id").bind("id", apiId).mapTo(String.class).one();
    }

    /** Sets the header the gateways send the API's backend a JWT in; null sends none. */
    public void setBackendJwtHeader(String apiId, String header) {
        handle.createUpdate("UPDATE apis SET backend_jwt_header = :header WHERE id = :id").bind("header", header)
                .bind("id", apiId).execute();
    }

    /** The header the API's backend gets a JWT in, or empty when it gets none. */
    public Optional<String> backendJwtHeader(String apiId) {
        return handle.createQuery("SELECT backend_jwt_header FROM apis WHERE id = :id").bind("id", apiId)
                .mapTo(String.class).findOne();
    }

    /** The backend JWT header of every API that has one, by API ID, for the gateways' snapshots. */
    public Map<String, String> backendJwtHeaders() {
        return handle.createQuery("SELECT id, backend_jwt_header FROM apis WHERE backend_jwt_header IS NOT NULL")
                .reduceRows(new HashMap<String, String>(), (headers, row) -> {
                    headers.put(row.getColumn("id", String.class), row.getColumn("backend_jwt_header", String.class));
                    return headers;
                });
    }

    /** Sets the header the gateways accept API keys for the API in; null refuses API keys. */
    public void setApiKeyHeader(String apiId, String header) {
        handle.createUpdate("UPDATE apis SET api_key_header = :header WHERE id = :id").bind("header", header)
                .bind("id", apiId).execute();
    }

    /** The header API keys for the API are taken from, or empty when it takes none. */
    public Optional<String> apiKeyHeader(String apiId) {
        return handle.createQuery("SELECT api_key_header FROM apis WHERE id = :id").bind("id", apiId)
                .mapTo(String.class).findOne();
    }

    /** The API key header of every API that accepts API keys, by API ID, for the gateways' snapshots. */
    public Map<String, String> apiKeyHeaders() {
        return handle.createQuery("SELECT id, api_key_header FROM apis WHERE api_key_header IS NOT NULL")
                .reduceRows(new HashMap<String, String>(), (headers, row) -> {
                    headers.put(row.getColumn("id", String.class), row.getColumn("api_key_header", String.class));
                    return headers;
                });
    }

    /** Every API's tier by API ID, for the gateways' snapshots. */
    public Map<String, String> tiers() {
        return handle.createQuery("SELECT id, tier FROM apis")
                .reduceRows(new HashMap<String, String>(), (tiers, row) -> {
                    tiers.put(row.getColumn("id", String.class), row.getColumn("tier", String.class));
                    return tiers;
                });
    }

    /** Sets the tier that limits all calls to one resource of the API; false when the API has no such resource. */
    public boolean setResourceTier(String apiId, String resourceId, String tier) {
        return handle.createUpdate("UPDATE api_resources SET tier = :tier WHERE api_id = :api AND id = :id")
                .bind("tier", tier).bind("api", apiId).bind("id", resourceId)
                .execute() == 1;
    }

    public Optional<String> resourceTier(String apiId, String resourceId) {
        return handle.createQuery("SELECT tier FROM api_resources WHERE api_id = :api AND id = :id")
                .bind("api", apiId).bind("id", resourceId)
                .mapTo(String.class).findOne();
    }

    /** Every resource's tier by resource ID, for the gateways' snapshots. */
    public Map<String, String> resourceTiers() {
        return handle.createQuery("SELECT id, tier FROM api_resources")
                .reduceRows(new HashMap<String, String>(), (tiers, row) -> {
                    tiers.put(row.getColumn("id", String.class), row.getColumn("tier", String.class));
                    return tiers;
                });
    }

    private static Api mapHead(ResultSet rs) throws SQLException {
        Map<Environment, String> backends = new EnumMap<>(Environment.class);
        for (Environment environment : Environment.values()) {
            String url = rs.getString("backend_" + environment.wireName());
            if (url != null) {
                backends.put(environment, url);
            }
        }
        return new Api(rs.getString("id"), rs.getString("org_id"), rs.getString("name"), rs.getString("handle"),
                rs.getString("version"), rs.getString("context"), rs.getString("description"),
                Lifecycle.valueOf(rs.getString("lifecycle")), backends, List.of(), List.of(),
                Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"),
                rs.getBoolean("forward_authorization"), Columns.tokens(rs, "cors_origins"));
    }
}
