package dev.gatehouse.store;

import dev.gatehouse.model.identity.AuthorizationCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class AuthorizationCodeRepository {

    private final Handle handle;

    AuthorizationCodeRepository(Handle handle) {
        this.handle = handle;
    }

    public void add(AuthorizationCode code) {
        handle.createUpdate("""
                        INSERT INTO authorization_codes (code_hash, org_id, client_id, user_id, redirect_uri, scopes,
                                                         code_challenge, nonce, used, expires_at)
                        VALUES (:hash, :org, :clientId, :userId, :redirectUri, :scopes, :challenge, :nonce, :used,
                                :expiresAt)""")
                .bind("hash", code.codeHash())
                .bind("org", code.orgId())
                .bind("clientId", code.clientId())
                .bind("userId", code.userId())
                .bind("redirectUri", code.redirectUri())
                .bind("scopes", Columns.tokens(code.scopes()))
                .bind("challenge", code.codeChallenge())
                .bind("nonce", code.nonce())
                .bind("used", code.used())
                .bind("expiresAt", Columns.timestamp(code.expiresAt()))
                .execute();
    }

    /**
     * Marks the code used and returns it as it was before, so that of two concurrent redemptions exactly one sees
     * {@code used == false}; empty for an unknown code.
     */
    public Optional<AuthorizationCode> redeem(String orgId, String codeHash) {
        Optional<AuthorizationCode> found = handle.createQuery("""
                        SELECT * FROM authorization_codes WHERE org_id = :org AND code_hash = :hash""")
                .bind("org", orgId)
                .bind("hash", codeHash)
                .map((rs, ctx) -> map(rs))
                .findOne();
        if (found.isEmpty() || found.get().used()) {
            return found;
        }
        int marked = handle.createUpdate("""
                        UPDATE authorization_codes SET used = TRUE
                        WHERE org_id = :org AND code_hash = :hash AND used = FALSE""")
                .bind("org", orgId)
                .bind("hash", codeHash)
                .execute();
        AuthorizationCode code = found.get();
        return Optional.of(marked == 1 ? code : new AuthorizationCode(code.codeHash(), code.orgId(), code.clientId(),
                code.userId(), code.redirectUri(), code.scopes(), code.codeChallenge(), code.nonce(), true,
                code.expiresAt()));
    }

    /** Deletes the codes that expired before {@code now}; returns how many. */
    public int deleteExpired(Instant now) {
        return handle.createUpdate("DELETE FROM authorization_codes WHERE expires_at < :now")
                .bind("now", Columns.timestamp(now))
                .execute();
    }

    private static AuthorizationCode map(ResultSet rs) throws SQLException {
        return new AuthorizationCode(rs.getString("code_hash"), rs.getString("org_id"), rs.getString("client_id"),
                rs.getString("user_id"), rs.getString("redirect_uri"), Columns.tokens(rs, "scopes"),
                rs.getString("code_challenge"), rs.getString("nonce"), rs.getBoolean("used"),
                Columns.instant(rs, "expires_at"));
    }
}
