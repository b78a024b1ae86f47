package dev.gatehouse.store;

import dev.gatehouse.model.identity.SigningKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class SigningKeyRepository {

    private final Handle handle;

    SigningKeyRepository(Handle handle) {
        this.handle = handle;
    }

    public void add(SigningKey key) {
        handle.createUpdate("""
                        INSERT INTO signing_keys (kid, org_id, algorithm, private_jwk, active, created_at, signs_from)
                        VALUES (:kid, :org, :alg, :jwk, :active, :at, :signsFrom)""")
                .bind("kid", key.kid())
                .bind("org", key.orgId())
                .bind("alg", key.algorithm())
                .bind("jwk", key.privateJwk())
                .bind("active", key.active())
                .bind("at", Columns.timestamp(key.createdAt()))
                .bind("signsFrom", Columns.timestamp(key.signsFrom()))
                .execute();
    }

    /**
     * Replaces a key stored before sealing existed (a plaintext JWK) by its sealed form: the same key, stored
     * otherwise. A row already sealed is left alone, so replicas sealing at once agree.
     *
     * @return whether the row changed
     */
    public boolean seal(String kid, String sealedJwk) {
        return handle.createUpdate("""
                        UPDATE signing_keys SET private_jwk = :jwk WHERE kid = :kid AND private_jwk NOT LIKE 'aes256gcm:%'""")
                .bind("kid", kid)
                .bind("jwk", sealedJwk)
                .execute() == 1;
    }

    /** The key the organization signs with at {@code at}: of its active keys, the one that began signing last. */
    public Optional<SigningKey> signingAt(String orgId, Instant at) {
        return handle.createQuery("""
                        SELECT * FROM signing_keys WHERE org_id = :org AND active = TRUE AND signs_from <= :at
                        ORDER BY signs_from DESC, kid LIMIT 1""")
                .bind("org", orgId)
                .bind("at", Columns.timestamp(at))
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    /** Every key of the organization, active or not: the JWKS publishes them all. */
    public List<SigningKey> list(String orgId) {
        return handle.createQuery("SELECT * FROM signing_keys WHERE org_id = :org ORDER BY created_at DESC, kid")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    private static SigningKey map(ResultSet rs) throws SQLException {
        return new SigningKey(rs.getString("kid"), rs.getString("org_id"), rs.getString("algorithm"),
                rs.getString("private_jwk"), rs.getBoolean("active"), Columns.instant(rs, "created_at"),
                Columns.instant(rs, "signs_from"));
    }
}
