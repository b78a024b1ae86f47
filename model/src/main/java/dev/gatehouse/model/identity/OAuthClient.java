package dev.gatehouse.model.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An application registered in the built-in identity provider (an OAuth 2.0 client).
 *
 * @param secretHash       the hash of the client secret; null for a public client
 * @param grantTypes       the grant types it may use, as OAuth names ({@code authorization_code}, {@code password}, …)
 * @param authorizedScopes the scopes it is authorized for; a token never carries more
 * @param redirectUris     where the authorization endpoint may send its users back, matched exactly
 * @param dpopBoundAccessTokens whether every token request must carry a DPoP proof, so that its access tokens are
 *                         bound to the client's key (RFC 9449 section 5.2, {@code dpop_bound_access_tokens})
 * @param opaqueAccessTokens whether its access tokens are opaque references (resolved by introspection) rather
 *                           than JWTs
 */
public record OAuthClient(
        String id,
        String orgId,
        String name,
        String clientId,
        String secretHash,
        Set<String> grantTypes,
        Set<String> authorizedScopes,
        List<String> redirectUris,
        Duration accessTokenLifetime,
        Instant createdAt,
        boolean dpopBoundAccessTokens,
        boolean opaqueAccessTokens) {

    public OAuthClient {
        grantTypes = Set.copyOf(grantTypes);
        authorizedScopes = Set.copyOf(authorizedScopes);
        redirectUris = List.copyOf(redirectUris);
    }

    /** A client that does not require DPoP and gets JWT access tokens. */
    public OAuthClient(String id, String orgId, String name, String clientId, String secretHash,
                       Set<String> grantTypes, Set<String> authorizedScopes, List<String> redirectUris,
                       Duration accessTokenLifetime, Instant createdAt) {
        this(id, orgId, name, clientId, secretHash, grantTypes, authorizedScopes, redirectUris, accessTokenLifetime,
                createdAt, false, false);
    }

    public boolean confidential() {
        return secretHash != null;
    }
}
