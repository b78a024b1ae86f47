package dev.gatehouse.store;

import dev.gatehouse.model.consumer.Application;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class ApplicationRepository {

    private final Handle handle;
    private final Clock clock;

    ApplicationRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Application create(String orgId, String name, String description, String ownerId) {
        Application app = new Application(Columns.newId(), orgId, name, description, ownerId, clock.instant());
        handle.createUpdate("""
                        INSERT INTO applications (id, org_id, name, description, owner_id, created_at)
                        VALUES (:id, :org, :name, :description, :owner, :at)""")
                .bind("id", app.id())
                .bind("org", orgId)
                .bind("name", name)
                .bind("description", description)
                .bind("owner", ownerId)
                .bind("at", Columns.timestamp(app.createdAt()))
                .execute();
        return app;
    }

    public Optional<Application> find(String orgId, String id) {
        return handle.createQuery("SELECT * FROM applications WHERE org_id = :org AND id = :id")
                .bind("org", orgId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public List<Application> list(String orgId) {
        return handle.createQuery("SELECT * FROM applications WHERE org_id = :org ORDER BY name")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public List<Application> listOwnedBy(String orgId, String ownerId) {
        return handle.createQuery("SELECT * FROM applications WHERE org_id = :org AND owner_id = :owner ORDER BY name")
                .bind("org", orgId)
                .bind("owner", ownerId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public boolean delete(String orgId, String id) {
        return handle.createUpdate("DELETE FROM applications WHERE org_id = :org AND id = :id")
                .bind("org", orgId)
                .bind("id", id)
                .execute() == 1;
    }

    /** Sets the tier that limits all of the application's calls, to whatever API. */
    public void setTier(String applicationId, String tier) {
        handle.createUpdate("UPDATE applications SET tier = :tier WHERE id = :id").bind("tier", tier)
                .bind("id", applicationId).execute();
    }

    public String tier(String applicationId) {
        return handle.createQuery("SELECT tier FROM applications WHERE id = :id").bind("id", applicationId)
                .mapTo(String.class).one();
    }

    /** Every application's tier and organization, by application ID, for the gateways' snapshots. */
    public Map<String, OrgTierName> tiers() {
        return handle.createQuery("SELECT id, org_id, tier FROM applications")
                .reduceRows(new HashMap<String, OrgTierName>(), (tiers, row) -> {
                    tiers.put(row.getColumn("id", String.class), new OrgTierName(row.getColumn("org_id",
                            String.class), row.getColumn("tier", String.class)));
                    return tiers;
                });
    }

    /** A tier's name with the organization whose tiers it names. */
    public record OrgTierName(String orgId, String tier) {
    }

    private static Application map(ResultSet rs) throws SQLException {
        return new Application(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
                rs.getString("description"), rs.getString("owner_id"), Columns.instant(rs, "created_at"));
    }
}
