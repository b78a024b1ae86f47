package dev.gatehouse.store;

import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.consumer.Credential;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class CredentialRepository {

    private final Handle handle;
    private final Clock clock;

    CredentialRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Links a client ID; a client ID already linked to any application breaks {@code credentials_client_id_key}. */
    public Credential create(String applicationId, KeyType keyType, String idpId, String clientId) {
        Credential credential = new Credential(Columns.newId(), applicationId, keyType, idpId, clientId, clock.instant());
        handle.createUpdate("""
                        INSERT INTO credentials (id, application_id, key_type, idp_id, client_id, created_at)
                        VALUES (:id, :app, :keyType, :idp, :clientId, :at)""")
                .bind("id", credential.id())
                .bind("app", applicationId)
                .bind("keyType", keyType.name())
                .bind("idp", idpId)
                .bind("clientId", clientId)
                .bind("at", Columns.timestamp(credential.createdAt()))
                .execute();
        return credential;
    }

    public List<Credential> list(String applicationId) {
        return handle.createQuery(
                        "SELECT * FROM credentials WHERE application_id = :app ORDER BY key_type, created_at, id")
                .bind("app", applicationId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public Optional<Credential> find(String applicationId, String id) {
        return handle.createQuery("SELECT * FROM credentials WHERE application_id = :app AND id = :id")
                .bind("app", applicationId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public boolean delete(String applicationId, String id) {
        return handle.createUpdate("DELETE FROM credentials WHERE application_id = :app AND id = :id")
                .bind("app", applicationId)
                .bind("id", id)
                .execute() == 1;
    }

    /** Every credential, for the gateways' snapshots. */
    public List<Credential> listAll() {
        return handle.createQuery("SELECT * FROM credentials ORDER BY idp_id, client_id").map((rs, ctx) -> map(rs)).list();
    }

    private static Credential map(ResultSet rs) throws SQLException {
        return new Credential(rs.getString("id"), rs.getString("application_id"),
                KeyType.valueOf(rs.getString("key_type")), rs.getString("idp_id"), rs.getString("client_id"),
                Columns.instant(rs, "created_at"));
    }
}
