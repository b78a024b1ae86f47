package dev.gatehouse.store;

import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.consumer.ApiKey;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** Applications' API keys, kept by their digests. */
public final class ApiKeyRepository {

    /** A key with its digest, for the gateways' snapshots. */
    public record DigestedKey(ApiKey key, String digest) {
    }

    private final Handle handle;
    private final Clock clock;

    ApiKeyRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Keeps a new key of the application by its digest. */
    public ApiKey create(String applicationId, String name, KeyType keyType, String key) {
        ApiKey created = new ApiKey(Columns.newId(), applicationId, name, keyType,
                key.substring(0, ApiKey.PREFIX_LENGTH), clock.instant());
        handle.createUpdate("""
                        INSERT INTO api_keys (id, application_id, name, key_type, key_digest, key_prefix, created_at)
                        VALUES (:id, :app, :name, :keyType, :digest, :prefix, :at)""")
                .bind("id", created.id())
                .bind("app", applicationId)
                .bind("name", name)
                .bind("keyType", keyType.name())
                .bind("digest", ApiKey.digest(key))
                .bind("prefix", created.prefix())
                .bind("at", Columns.timestamp(created.createdAt()))
                .execute();
        return created;
    }

    public List<ApiKey> list(String applicationId) {
        return handle.createQuery("SELECT * FROM api_keys WHERE application_id = :app ORDER BY created_at, id")
                .bind("app", applicationId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    /** Every application's keys with their digests. */
    public List<DigestedKey> listAll() {
        return handle.createQuery("SELECT * FROM api_keys ORDER BY created_at, id")
                .map((rs, ctx) -> new DigestedKey(map(rs), rs.getString("key_digest")))
                .list();
    }

    /** Revokes a key of the application; false if it has none with this ID. */
    public boolean delete(String applicationId, String id) {
        return handle.createUpdate("DELETE FROM api_keys WHERE application_id = :app AND id = :id")
                .bind("app", applicationId)
                .bind("id", id)
                .execute() > 0;
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getString("id"), rs.getString("application_id"), rs.getString("name"),
                KeyType.valueOf(rs.getString("key_type")), rs.getString("key_prefix"),
                Columns.instant(rs, "created_at"));
    }
}
