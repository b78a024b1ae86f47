package dev.gatehouse.store;

import dev.gatehouse.model.identity.RefreshToken;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class RefreshTokenRepository {

    private final Handle handle;

    RefreshTokenRepository(Handle handle) {
        this.handle = handle;
    }

    public void add(RefreshToken token) {
        handle.createUpdate("""
                        INSERT INTO refresh_tokens (token_hash, org_id, family_id, client_id, user_id, scopes, used,
                                                    revoked, expires_at, jkt)
                        VALUES (:hash, :org, :family, :clientId, :userId, :scopes, :used, :revoked, :expiresAt,
                                :jkt)""")
                .bind("hash", token.tokenHash())
                .bind("org", token.orgId())
                .bind("family", token.familyId())
                .bind("clientId", token.clientId())
                .bind("userId", token.userId())
                .bind("scopes", Columns.tokens(token.scopes()))
                .bind("used", token.used())
                .bind("revoked", token.revoked())
                .bind("expiresAt", Columns.timestamp(token.expiresAt()))
                .bind("jkt", token.jkt())
                .execute();
    }

    public Optional<RefreshToken> find(String orgId, String tokenHash) {
        return handle.createQuery("SELECT * FROM refresh_tokens WHERE org_id = :org AND token_hash = :hash")
                .bind("org", orgId)
                .bind("hash", tokenHash)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    /** Marks an unused token used; false when it was used already, so that of two racing uses only one wins. */
    public boolean markUsed(String tokenHash) {
        return handle.createUpdate("UPDATE refresh_tokens SET used = TRUE WHERE token_hash = :hash AND used = FALSE")
                .bind("hash", tokenHash)
                .execute() == 1;
    }

    /** Revokes every token of the family; returns how many rows it touched. */
    public int revokeFamily(String familyId) {
        return handle.createUpdate("UPDATE refresh_tokens SET revoked = TRUE WHERE family_id = :family")
                .bind("family", familyId)
                .execute();
    }

    /** Revokes every refresh token the user holds, with any client; returns how many rows it touched. */
    public int revokeForUser(String userId) {
        return handle.createUpdate("UPDATE refresh_tokens SET revoked = TRUE WHERE user_id = :user")
                .bind("user", userId)
                .execute();
    }

    /** Deletes the tokens that expired before {@code now}; returns how many. */
    public int deleteExpired(Instant now) {
        return handle.createUpdate("DELETE FROM refresh_tokens WHERE expires_at < :now")
                .bind("now", Columns.timestamp(now))
                .execute();
    }

    private static RefreshToken map(ResultSet rs) throws SQLException {
        return new RefreshToken(rs.getString("token_hash"), rs.getString("org_id"), rs.getString("family_id"),
                rs.getString("client_id"), rs.getString("user_id"), Columns.tokens(rs, "scopes"),
                rs.getBoolean("used"), rs.getBoolean("revoked"), Columns.instant(rs, "expires_at"),
                rs.getString("jkt"));
    }
}
