package dev.gatehouse.store;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The built-in identity provider's opaque access tokens: by the SHA-256 hash of the token (never the token), the
 * claims a JWT access token would have carried, as JSON, until the token expires.
 */
public final class OpaqueAccessTokenRepository {

    /** A stored token: its organization, client and claims (JSON), and when it expires. */
    public record StoredToken(String orgId, String clientId, String claims, Instant expiresAt) {
    }

    private final Handle handle;

    OpaqueAccessTokenRepository(Handle handle) {
        this.handle = handle;
    }

    public void save(String tokenHash, StoredToken token) {
        handle.createUpdate("""
                        INSERT INTO opaque_access_tokens (token_hash, org_id, client_id, claims, expires_at)
                        VALUES (:hash, :org, :client, :claims, :exp)""")
                .bind("hash", tokenHash)
                .bind("org", token.orgId())
                .bind("client", token.clientId())
                .bind("claims", token.claims())
                .bind("exp", Columns.timestamp(token.expiresAt()))
                .execute();
    }

    /** The token with this hash, expired or not: the caller decides with its own clock. */
    public Optional<StoredToken> find(String tokenHash) {
        return handle.createQuery("SELECT * FROM opaque_access_tokens WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> new StoredToken(rs.getString("org_id"), rs.getString("client_id"),
                        rs.getString("claims"), Columns.instant(rs, "expires_at")))
                .findOne();
    }

    /** Forgets the tokens that expired before {@code now}; answers how many. */
    public int deleteExpired(Instant now) {
        return handle.createUpdate("DELETE FROM opaque_access_tokens WHERE expires_at < :now")
                .bind("now", Columns.timestamp(now))
                .execute();
    }
}
