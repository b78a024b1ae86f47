package dev.gatehouse.store;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.fleet.GatewayInstance;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The gateways' reports of themselves; recorded with {@link Store#record}, as they are not configuration. */
public final class GatewayInstanceRepository {

    private final Handle handle;
    private final Clock clock;

    GatewayInstanceRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Notes that a gateway is alive and serves {@code snapshotVersion}; the first report also sets firstSeen. */
    public void report(String id, Environment environment, String address, long snapshotVersion) {
        Instant now = clock.instant();
        int updated = handle.createUpdate("""
                        UPDATE gateway_instances
                        SET environment = :environment, address = :address, snapshot_version = :version,
                            last_seen = :now
                        WHERE id = :id""")
                .bind("id", id)
                .bind("environment", environment.name())
                .bind("address", address)
                .bind("version", snapshotVersion)
                .bind("now", Columns.timestamp(now))
                .execute();
        if (updated == 0) {
            handle.createUpdate("""
                            INSERT INTO gateway_instances
                                (id, environment, address, snapshot_version, first_seen, last_seen)
                            VALUES (:id, :environment, :address, :version, :now, :now)""")
                    .bind("id", id)
                    .bind("environment", environment.name())
                    .bind("address", address)
                    .bind("version", snapshotVersion)
                    .bind("now", Columns.timestamp(now))
                    .execute();
        }
    }

    /** The gateways heard from since {@code since}, by environment then id. */
    public List<GatewayInstance> seenSince(Instant since) {
        return handle.createQuery("""
                        SELECT * FROM gateway_instances WHERE last_seen >= :since ORDER BY environment, id""")
                .bind("since", Columns.timestamp(since))
                .map((rs, ctx) -> map(rs))
                .list();
    }

    private static GatewayInstance map(ResultSet rs) throws SQLException {
        return new GatewayInstance(rs.getString("id"), Environment.valueOf(rs.getString("environment")),
                rs.getString("address"), rs.getLong("snapshot_version"), Columns.instant(rs, "first_seen"),
                Columns.instant(rs, "last_seen"));
    }
}
