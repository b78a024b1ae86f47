package dev.gatehouse.store;

import dev.gatehouse.model.consumer.Subscription;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class SubscriptionRepository {

    private final Handle handle;
    private final Clock clock;

    SubscriptionRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    public Subscription create(String applicationId, String apiId, String tier) {
        Subscription subscription = new Subscription(Columns.newId(), applicationId, apiId, tier,
                Subscription.Status.ACTIVE, clock.instant());
        handle.createUpdate("""
                        INSERT INTO subscriptions (id, application_id, api_id, tier, status, created_at)
                        VALUES (:id, :app, :api, :tier, :status, :at)""")
                .bind("id", subscription.id())
                .bind("app", applicationId)
                .bind("api", apiId)
                .bind("tier", tier)
                .bind("status", subscription.status().name())
                .bind("at", Columns.timestamp(subscription.createdAt()))
                .execute();
        return subscription;
    }

    public List<Subscription> list(String applicationId) {
        return handle.createQuery("SELECT * FROM subscriptions WHERE application_id = :app ORDER BY created_at, id")
                .bind("app", applicationId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public Optional<Subscription> find(String applicationId, String id) {
        return handle.createQuery("SELECT * FROM subscriptions WHERE application_id = :app AND id = :id")
                .bind("app", applicationId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public void setStatus(String id, Subscription.Status status) {
        handle.createUpdate("UPDATE subscriptions SET status = :status WHERE id = :id")
                .bind("status", status.name())
                .bind("id", id)
                .execute();
    }

    public boolean delete(String applicationId, String id) {
        return handle.createUpdate("DELETE FROM subscriptions WHERE application_id = :app AND id = :id")
                .bind("app", applicationId)
                .bind("id", id)
                .execute() == 1;
    }

    /** A subscription with the organization it belongs to, which names its tier. */
    public record OrgSubscription(String orgId, Subscription subscription) {
    }

    /** Every subscription with its organization, for the gateways' snapshots. */
    public List<OrgSubscription> listAllWithOrganization() {
        return handle.createQuery("""
                        SELECT s.*, a.org_id AS org_id FROM subscriptions s
                        JOIN applications a ON a.id = s.application_id
                        ORDER BY s.application_id, s.api_id""")
                .map((rs, ctx) -> new OrgSubscription(rs.getString("org_id"), map(rs)))
                .list();
    }

    private static Subscription map(ResultSet rs) throws SQLException {
        return new Subscription(rs.getString("id"), rs.getString("application_id"), rs.getString("api_id"),
                rs.getString("tier"), Subscription.Status.valueOf(rs.getString("status")),
                Columns.instant(rs, "created_at"));
    }
}
