package dev.gatehouse.store;

import dev.gatehouse.model.RateLimit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Organizations' own rate-limit tiers; a tier's name is its {@link RateLimit#policy()}, unique per organization. */
public final class TierRepository {

    private final Handle handle;
    private final Clock clock;

    TierRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** @throws StoreConflictException ({@code rate_limit_tiers_pkey}) when the organization has a tier of that name */
    public RateLimit create(String orgId, RateLimit tier) {
        handle.createUpdate("""
                        INSERT INTO rate_limit_tiers (org_id, name, requests, window_seconds, burst, created_at)
                        VALUES (:org, :name, :requests, :window, :burst, :at)""")
                .bind("org", orgId)
                .bind("name", tier.policy())
                .bind("requests", tier.requests())
                .bind("window", tier.window().toSeconds())
                .bind("burst", tier.burst())
                .bind("at", Columns.timestamp(clock.instant()))
                .execute();
        return tier;
    }

    public List<RateLimit> list(String orgId) {
        return handle.createQuery("SELECT * FROM rate_limit_tiers WHERE org_id = :org ORDER BY created_at, name")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public Optional<RateLimit> find(String orgId, String name) {
        return handle.createQuery("SELECT * FROM rate_limit_tiers WHERE org_id = :org AND name = :name")
                .bind("org", orgId)
                .bind("name", name)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    /** Every organization's tiers, by organization ID, for the gateways' snapshots. */
    public List<OrgTier> listAll() {
        return handle.createQuery("SELECT * FROM rate_limit_tiers ORDER BY org_id, name")
                .map((rs, ctx) -> new OrgTier(rs.getString("org_id"), map(rs)))
                .list();
    }

    public record OrgTier(String orgId, RateLimit tier) {
    }

    private static RateLimit map(ResultSet rs) throws SQLException {
        return new RateLimit(rs.getString("name"), rs.getLong("requests"),
                Duration.ofSeconds(rs.getLong("window_seconds")), rs.getLong("burst"));
    }
}
