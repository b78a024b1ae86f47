package dev.gatehouse.store;

import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/** The scopes each user has allowed each client of the built-in identity provider. */
public final class ConsentRepository {

    private final Handle handle;
    private final Clock clock;

    ConsentRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** The scopes the user has allowed the client; empty when never asked. */
    public Set<String> granted(String userId, String clientId) {
        return handle.createQuery("SELECT scopes FROM consents WHERE user_id = :user AND client_id = :clientId")
                .bind("user", userId)
                .bind("clientId", clientId)
                .map((rs, ctx) -> Columns.tokens(rs, "scopes"))
                .findOne()
                .orElse(Set.of());
    }

    /** Adds scopes to what the user has allowed the client. */
    public void grant(String orgId, String userId, String clientId, Set<String> scopes) {
        Set<String> all = new TreeSet<>(scopes);
        all.addAll(granted(userId, clientId));
        int updated = handle.createUpdate(
                        "UPDATE consents SET scopes = :scopes, updated_at = :at WHERE user_id = :user AND client_id = :c")
                .bind("scopes", Columns.tokens(all))
                .bind("at", Columns.timestamp(clock.instant()))
                .bind("user", userId)
                .bind("c", clientId)
                .execute();
        if (updated == 0) {
            handle.createUpdate("""
                            INSERT INTO consents (user_id, client_id, org_id, scopes, updated_at)
                            VALUES (:user, :c, :org, :scopes, :at)""")
                    .bind("user", userId)
                    .bind("c", clientId)
                    .bind("org", orgId)
                    .bind("scopes", Columns.tokens(all))
                    .bind("at", Columns.timestamp(clock.instant()))
                    .execute();
        }
    }
}
