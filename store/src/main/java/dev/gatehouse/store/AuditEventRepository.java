package dev.gatehouse.store;

import dev.gatehouse.model.identity.AuditEvent;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Handle;

public final class AuditEventRepository {

    private final Handle handle;
    private final Clock clock;

    AuditEventRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public AuditEvent add(String orgId, String type, String actor, String clientId, String clientIp, String detail) {
        AuditEvent event = new AuditEvent(Columns.newId(), orgId, clock.instant(), type, truncated(actor, 200),
                truncated(clientId, 100), truncated(clientIp, 100), truncated(detail, 200));
        handle.createUpdate("""
                        INSERT INTO audit_events (id, org_id, occurred_at, event_type, actor, client_id, client_ip,
                                                  detail)
                        VALUES (:id, :org, :at, :type, :actor, :clientId, :ip, :detail)""")
                .bind("id", event.id())
                .bind("org", orgId)
                .bind("at", Columns.timestamp(event.occurredAt()))
                .bind("type", type)
                .bind("actor", event.actor())
                .bind("clientId", event.clientId())
                .bind("ip", event.clientIp())
                .bind("detail", event.detail())
                .execute();
        return event;
    }

    /** The organization's newest events first, at most {@code limit}. */
    public List<AuditEvent> list(String orgId, int limit) {
        return handle.createQuery("""
                        SELECT * FROM audit_events WHERE org_id = :org
                        ORDER BY occurred_at DESC, id LIMIT :limit""")
                .bind("org", orgId)
                .bind("limit", limit)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    private static String truncated(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    private static AuditEvent map(ResultSet rs) throws SQLException {
        return new AuditEvent(rs.getString("id"), rs.getString("org_id"), Columns.instant(rs, "occurred_at"),
                rs.getString("event_type"), rs.getString("actor"), rs.getString("client_id"),
                rs.getString("client_ip"), rs.getString("detail"));
    }
}
