package dev.gatehouse.store;

import dev.gatehouse.model.identity.DeviceAuthorization;
import dev.gatehouse.model.identity.DeviceAuthorization.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The device authorizations of the built-in identity provider (RFC 8628). Every change of state is one conditional
 * UPDATE that says whether it happened, so that concurrent requests (two polls, a poll and a decision) never both
 * win.
 */
public final class DeviceAuthorizationRepository {

    private final Handle handle;

    DeviceAuthorizationRepository(Handle handle) {
        this.handle = handle;
    }

    /** @throws StoreConflictException when the user code is taken in the organization */
    public void add(DeviceAuthorization authorization) {
        handle.createUpdate("""
                        INSERT INTO device_authorizations (device_code_hash, user_code_hash, org_id, client_id, scopes,
                                                           status, user_id, interval_seconds, polls, last_polled_at,
                                                           expires_at)
                        VALUES (:deviceCode, :userCode, :org, :clientId, :scopes, :status, :userId, :interval, :polls,
                                :lastPolledAt, :expiresAt)""")
                .bind("deviceCode", authorization.deviceCodeHash())
                .bind("userCode", authorization.userCodeHash())
                .bind("org", authorization.orgId())
                .bind("clientId", authorization.clientId())
                .bind("scopes", Columns.tokens(authorization.scopes()))
                .bind("status", authorization.status().name())
                .bind("userId", authorization.userId())
                .bind("interval", Math.toIntExact(authorization.interval().toSeconds()))
                .bind("polls", authorization.polls())
                .bind("lastPolledAt", authorization.lastPolledAt() == null ? null
                        : Columns.timestamp(authorization.lastPolledAt()))
                .bind("expiresAt", Columns.timestamp(authorization.expiresAt()))
                .execute();
    }

    public Optional<DeviceAuthorization> findByDeviceCode(String orgId, String deviceCodeHash) {
        return handle.createQuery("""
                        SELECT * FROM device_authorizations WHERE org_id = :org AND device_code_hash = :hash""")
                .bind("org", orgId)
                .bind("hash", deviceCodeHash)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public Optional<DeviceAuthorization> findByUserCode(String orgId, String userCodeHash) {
        return handle.createQuery("""
                        SELECT * FROM device_authorizations WHERE org_id = :org AND user_code_hash = :hash""")
                .bind("org", orgId)
                .bind("hash", userCodeHash)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    /**
     * The user's decision: a pending authorization that has not expired at {@code now} becomes APPROVED (with the
     * scopes the user approved) or DENIED.
     *
     * @return whether it was still pending, and is now decided
     */
    public boolean decide(String orgId, String userCodeHash, boolean approved, String userId, Set<String> scopes,
                          Instant now) {
        return handle.createUpdate("""
                        UPDATE device_authorizations SET status = :status, user_id = :userId, scopes = :scopes
                        WHERE org_id = :org AND user_code_hash = :hash AND status = 'PENDING' AND expires_at > :now""")
                .bind("status", (approved ? Status.APPROVED : Status.DENIED).name())
                .bind("userId", userId)
                .bind("scopes", Columns.tokens(scopes))
                .bind("org", orgId)
                .bind("hash", userCodeHash)
                .bind("now", Columns.timestamp(now))
                .execute() == 1;
    }

    /**
     * Records a poll at {@code now}, lengthening the interval by {@code slowDown}, if no other poll was recorded
     * since the authorization was read with {@code seenPolls} polls.
     *
     * @return whether this poll was the next one
     */
    public boolean recordPoll(String orgId, String deviceCodeHash, int seenPolls, Instant now, Duration slowDown) {
        return handle.createUpdate("""
                        UPDATE device_authorizations
                        SET polls = polls + 1, last_polled_at = :now, interval_seconds = interval_seconds + :slowDown
                        WHERE org_id = :org AND device_code_hash = :hash AND polls = :seen""")
                .bind("now", Columns.timestamp(now))
                .bind("slowDown", Math.toIntExact(slowDown.toSeconds()))
                .bind("org", orgId)
                .bind("hash", deviceCodeHash)
                .bind("seen", seenPolls)
                .execute() == 1;
    }

    /**
     * Marks an approved authorization redeemed.
     *
     * @return whether this call did, which happens once per authorization
     */
    public boolean redeem(String orgId, String deviceCodeHash) {
        return handle.createUpdate("""
                        UPDATE device_authorizations SET status = 'REDEEMED'
                        WHERE org_id = :org AND device_code_hash = :hash AND status = 'APPROVED'""")
                .bind("org", orgId)
                .bind("hash", deviceCodeHash)
                .execute() == 1;
    }

    /** Deletes the authorizations that expired before {@code before}; returns how many. */
    public int deleteExpired(Instant before) {
        return handle.createUpdate("DELETE FROM device_authorizations WHERE expires_at < :before")
                .bind("before", Columns.timestamp(before))
                .execute();
    }

    private static DeviceAuthorization map(ResultSet rs) throws SQLException {
        OffsetDateTime lastPolledAt = rs.getObject("last_polled_at", OffsetDateTime.class);
        return new DeviceAuthorization(rs.getString("device_code_hash"), rs.getString("user_code_hash"),
                rs.getString("org_id"), rs.getString("client_id"), Columns.tokens(rs, "scopes"),
                Status.valueOf(rs.getString("status")), rs.getString("user_id"),
                Duration.ofSeconds(rs.getInt("interval_seconds")), rs.getInt("polls"),
                lastPolledAt == null ? null : lastPolledAt.toInstant(), Columns.instant(rs, "expires_at"));
    }
}
