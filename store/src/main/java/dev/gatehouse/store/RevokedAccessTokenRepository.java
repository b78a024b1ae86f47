package dev.gatehouse.store;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Access tokens of the built-in identity provider revoked before they expire, by {@code jti}. */
public final class RevokedAccessTokenRepository {

    private final Handle handle;

    RevokedAccessTokenRepository(Handle handle) {
        this.handle = handle;
    }

    /** Records the revocation; revoking a token twice is not an error. */
    public void revoke(String orgId, String jti, Instant expiresAt) {
        if (isRevoked(jti)) {
            return;
        }
        handle.createUpdate("INSERT INTO revoked_access_tokens (jti, org_id, expires_at) VALUES (:jti, :org, :exp)")
                .bind("jti", jti)
                .bind("org", orgId)
                .bind("exp", Columns.timestamp(expiresAt))
                .execute();
    }

    public boolean isRevoked(String jti) {
        return handle.createQuery("SELECT COUNT(*) FROM revoked_access_tokens WHERE jti = :jti")
                .bind("jti", jti)
                .mapTo(Integer.class)
                .one() > 0;
    }

    /** A revocation: which organization's token, its {@code jti}, and when it would have expired. */
    public record Revocation(String orgId, String jti, Instant expiresAt) {
    }

    /** The revocations of tokens that have not expired at {@code now}: what gateways must still refuse. */
    public List<Revocation> unexpired(Instant now) {
        return handle.createQuery("SELECT org_id, jti, expires_at FROM revoked_access_tokens WHERE expires_at >= :now"
                        + " ORDER BY expires_at, jti")
                .bind("now", Columns.timestamp(now))
                .map((rs, ctx) -> new Revocation(rs.getString("org_id"), rs.getString("jti"),
                        Columns.instant(rs, "expires_at")))
                .list();
    }

    /** Forgets revocations of tokens that expired before {@code now}; returns how many. */
    public int deleteExpired(Instant now) {
        return handle.createUpdate("DELETE FROM revoked_access_tokens WHERE expires_at < :now")
                .bind("now", Columns.timestamp(now))
                .execute();
    }
}
