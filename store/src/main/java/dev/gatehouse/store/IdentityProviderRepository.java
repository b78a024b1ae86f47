package dev.gatehouse.store;

import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.IdentityProvider;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

public final class IdentityProviderRepository {

    private final Handle handle;
    private final Clock clock;

    IdentityProviderRepository(Handle handle, Clock clock) {
        this.handle = handle;
        this.clock = clock;
    }

    /** Registers the organization's built-in provider; its endpoints derive from the server's public URL. */
    public IdentityProvider createBuiltIn(String orgId) {
        return create(new IdentityProvider(Columns.newId(), orgId, "Gatehouse", IdentityProvider.Kind.BUILT_IN,
                null, null, null, null, ClaimMapping.DEFAULT, null, clock.instant()));
    }

    public IdentityProvider createExternal(String orgId, String name, String issuer, String jwksUri,
                                           String tokenEndpoint, String discoveryUrl, ClaimMapping claims,
                                           String audience) {
        return create(new IdentityProvider(Columns.newId(), orgId, name, IdentityProvider.Kind.EXTERNAL, issuer,
                jwksUri, tokenEndpoint, discoveryUrl, claims, audience, clock.instant()));
    }

    private IdentityProvider create(IdentityProvider idp) {
        handle.createUpdate("""
                        INSERT INTO identity_providers (id, org_id, name, kind, issuer, jwks_uri, token_endpoint,
                            discovery_url, client_id_claims, scope_claim, audience, created_at)
                        VALUES (:id, :org, :name, :kind, :issuer, :jwksUri, :tokenEndpoint, :discoveryUrl,
                            :clientIdClaims, :scopeClaim, :audience, :at)""")
                .bind("id", idp.id())
                .bind("org", idp.orgId())
                .bind("name", idp.name())
                .bind("kind", idp.kind().name())
                .bind("issuer", idp.issuer())
                .bind("jwksUri", idp.jwksUri())
                .bind("tokenEndpoint", idp.tokenEndpoint())
                .bind("discoveryUrl", idp.discoveryUrl())
                .bind("clientIdClaims", String.join(" ", idp.claims().clientIdClaims()))
                .bind("scopeClaim", idp.claims().scopeClaim())
                .bind("audience", idp.audience())
                .bind("at", Columns.timestamp(idp.createdAt()))
                .execute();
        return idp;
    }

    public Optional<IdentityProvider> find(String orgId, String id) {
        return handle.createQuery("SELECT * FROM identity_providers WHERE org_id = :org AND id = :id")
                .bind("org", orgId)
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public Optional<IdentityProvider> builtIn(String orgId) {
        return handle.createQuery("SELECT * FROM identity_providers WHERE org_id = :org AND kind = 'BUILT_IN'")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .findOne();
    }

    public List<IdentityProvider> list(String orgId) {
        return handle.createQuery("SELECT * FROM identity_providers WHERE org_id = :org ORDER BY kind, name")
                .bind("org", orgId)
                .map((rs, ctx) -> map(rs))
                .list();
    }

    /** Every provider of every organization, for the gateways' snapshots. */
    public List<IdentityProvider> listAll() {
        return handle.createQuery("SELECT * FROM identity_providers ORDER BY org_id, kind, name")
                .map((rs, ctx) -> map(rs))
                .list();
    }

    public boolean delete(String orgId, String id) {
        return handle.createUpdate("DELETE FROM identity_providers WHERE org_id = :org AND id = :id AND kind = 'EXTERNAL'")
                .bind("org", orgId)
                .bind("id", id)
                .execute() == 1;
    }

    private static IdentityProvider map(ResultSet rs) throws SQLException {
        ClaimMapping claims = new ClaimMapping(Arrays.asList(rs.getString("client_id_claims").split(" ")),
                rs.getString("scope_claim"));
        return new IdentityProvider(rs.getString("id"), rs.getString("org_id"), rs.getString("name"),
                IdentityProvider.Kind.valueOf(rs.getString("kind")), rs.getString("issuer"),
                rs.getString("jwks_uri"), rs.getString("token_endpoint"), rs.getString("discovery_url"), claims,
                rs.getString("audience"), Columns.instant(rs, "created_at"));
    }
}
