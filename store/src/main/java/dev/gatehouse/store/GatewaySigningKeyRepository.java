package dev.gatehouse.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The keys gateways sign backend JWTs with, as private JWKs sealed under the master key. */
public final class GatewaySigningKeyRepository {

    /** A key: its ID, the private JWK, and when it was made. */
    public record GatewaySigningKey(String kid, String privateJwk, Instant createdAt) {

        @Override
        public String toString() {
            return "GatewaySigningKey[" + kid + ", created " + createdAt + "]";
        }
    }

    private final Handle handle;

    GatewaySigningKeyRepository(Handle handle) {
        this.handle = handle;
    }

    public void add(GatewaySigningKey key) {
        handle.createUpdate("INSERT INTO gateway_signing_keys (kid, private_jwk, created_at) VALUES (:kid, :jwk, :at)")
                .bind("kid", key.kid())
                .bind("jwk", key.privateJwk())
                .bind("at", Columns.timestamp(key.createdAt()))
                .execute();
    }

    /**
     * Replaces a key stored before sealing existed (a plaintext JWK) by its sealed form. A row already sealed is
     * left alone, so replicas sealing at once agree.
     *
     * @return whether the row changed
     */
    public boolean seal(String kid, String sealedJwk) {
        return handle.createUpdate("""
                        UPDATE gateway_signing_keys SET private_jwk = :jwk
                        WHERE kid = :kid AND private_jwk NOT LIKE 'aes256gcm:%'""")
                .bind("kid", kid)
                .bind("jwk", sealedJwk)
                .execute() == 1;
    }

    /** The key new backend JWTs are signed with: the oldest, so that replicas that made one at once agree. */
    public Optional<GatewaySigningKey> signing() {
        return list().stream().findFirst();
    }

    /** Every key, oldest first: the published key set holds them all. */
    public List<GatewaySigningKey> list() {
        return handle.createQuery("SELECT * FROM gateway_signing_keys ORDER BY created_at, kid")
                .map((rs, ctx) -> new GatewaySigningKey(rs.getString("kid"), rs.getString("private_jwk"),
                        Columns.instant(rs, "created_at")))
                .list();
    }
}
