package dev.gatehouse.model;

import java.time.Instant;

/**
 * An identity provider an organization trusts for its APIs. Every organization has its built-in one; external
 * ones (Asgardeo, Keycloak, any OpenID provider) are registered by discovery URL or by issuer and JWKS URI.
 * For the built-in provider the endpoints are derived from the server's public URL, so they are null here.
 *
 * @param audience when not null, tokens must carry it in {@code aud}
 */
public record IdentityProvider(
        String id,
        String orgId,
        String name,
        Kind kind,
        String issuer,
        String jwksUri,
        String tokenEndpoint,
        String discoveryUrl,
        ClaimMapping claims,
        String audience,
        Instant createdAt) {

    public enum Kind {
        BUILT_IN,
        EXTERNAL
    }

    public boolean builtIn() {
        return kind == Kind.BUILT_IN;
    }
}
