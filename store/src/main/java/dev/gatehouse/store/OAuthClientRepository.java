package dev.gatehouse.store;

import dev.gatehouse.model.identity.OAuthClient;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

public final class OAuthClientRepository {

    private final Handle handle;
    private final Clock clock;

    OAuthClientRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Registers a client without redirect URIs; {@code secretHash} is null for a public client. */
    public OAuthClient create(String orgId, String name, String clientId, String secretHash, Set<String> grantTypes,
                              Set<String> authorizedScopes, Duration accessTokenLifetime) {
        return create(orgId, name, clientId, secretHash, grantTypes, authorizedScopes, List.of(), accessTokenLifetime);
    }

    /** Registers a client that does not require DPoP; {@code secretHash} is null for a public client. */
    public OAuthClient create(String orgId, String name, String clientId, String secretHash, Set<String> grantTypes,
                              Set<String> authorizedScopes, List<String> redirectUris, Duration accessTokenLifetime) {
        return create(orgId, name, clientId, secretHash, grantTypes, authorizedScopes, redirectUris,
                accessTokenLifetime, false);
    }

    /** Registers a client; {@code secretHash} is null for a public client. */
    public OAuthClient create(String orgId, String name, String clientId, String secretHash, Set<String> grantTypes,
                              Set<String> authorizedScopes, List<String> redirectUris, Duration accessTokenLifetime,
                              boolean dpopBoundAccessTokens) {
        OAuthClient client = new OAuthClient(Columns.newId(), orgId, name, clientId, secretHash, grantTypes,
                authorizedScopes, redirectUris, accessTokenLifetime, clock.instant(), dpopBoundAccessTokens, false);
        handle.createUpdate("""
                        INSERT INTO oauth_clients (id, org_id, name, client_id, secret_hash, grant_types,
                                                   authorized_scopes, redirect_uris, access_token_ttl_seconds,
                                                   created_at, dpop_bound_access_tokens)
                        VALUES (:id, :org, :name, :clientId, :secretHash, :grantTypes, :scopes, :redirectUris, :ttl,
                                :at, :dpop)""")
                .bind("id", client.id())
                .bind("org", orgId)
                .bind("name", name)
                .bind("clientId", clientId)
                .bind("secretHash", secretHash)
                .bind("grantTypes", Columns.tokens(grantTypes))
                .bind("scopes", Columns.tokens(authorizedScopes))
                .bind("redirectUris", String.join(" ", client.redirectUris()))
                .bind("ttl", (int) accessTokenLifetime.toSeconds())
                .bind("at", Columns.timestamp(client.createdAt()))
                .bind("dpop", dpopBoundAccessTokens)
                .execute();
        return client;
    }

    public Optional<OAuthClient> findByClientId(String orgId, String clientId) {
        return handle.createQuery("SELECT * FROM oauth_clients WHERE org_id = :org AND client_id = :clientId")
                .bind("org", orgId)
                .bind("clientId", clientId)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public List<OAuthClient> list(String orgId) {
        return handle.createQuery("SELECT * FROM oauth_clients WHERE org_id = :org ORDER BY name, client_id")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public boolean updateAuthorizedScopes(String orgId, String clientId, Set<String> authorizedScopes) {
        return handle.createUpdate("""
                        UPDATE oauth_clients SET authorized_scopes = :scopes
                        WHERE org_id = :org AND client_id = :clientId""")
                .bind("scopes", Columns.tokens(authorizedScopes))
                .bind("org", orgId)
                .bind("clientId", clientId)
                .execute() == 1;
    }

    public boolean updateRedirectUris(String orgId, String clientId, List<String> redirectUris) {
        return handle.createUpdate("""
                        UPDATE oauth_clients SET redirect_uris = :redirectUris
                        WHERE org_id = :org AND client_id = :clientId""")
                .bind("redirectUris", String.join(" ", redirectUris))
                .bind("org", orgId)
                .bind("clientId", clientId)
                .execute() == 1;
    }

    /** Makes the client's access tokens opaque references, or JWTs again. */
    public boolean setOpaqueAccessTokens(String orgId, String clientId, boolean opaque) {
        return handle.createUpdate("""
                        UPDATE oauth_clients SET access_token_format = :format
                        WHERE org_id = :org AND client_id = :clientId""")
                .bind("format", opaque ? "opaque" : "jwt")
                .bind("org", orgId)
                .bind("clientId", clientId)
                .execute() == 1;
    }

    public boolean delete(String orgId, String clientId) {
        return handle.createUpdate("DELETE FROM oauth_clients WHERE org_id = :org AND client_id = :clientId")
                .bind("org", orgId)
                .bind("clientId", clientId)
                .execute() == 1;
    }

    private static OAuthClient map(ResultSet rs) throws SQLException {
        return new OAuthClient(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
                rs.getString("client_id"), rs.getString("secret_hash"), Columns.tokens(rs, "grant_types"),
                Columns.tokens(rs, "authorized_scopes"), redirectUris(rs.getString("redirect_uris")), Duration.ofSeconds(rs.getInt("access_token_ttl_seconds")),
                Columns.instant(rs, "created_at"), rs.getBoolean("dpop_bound_access_tokens"),
                "opaque".equals(rs.getString("access_token_format")));
    }

    /** Redirect URIs keep their registered order: space-separated, unlike the sorted scope sets. */
    private static List<String> redirectUris(String spaceSeparated) {
        return spaceSeparated.isBlank() ? List.of() : List.of(spaceSeparated.trim().split(" +"));
    }
}
