package dev.gatehouse.model.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * An application registered in the built-in identity provider (an OAuth 2.0 client).
 *
 * @param secretHash       the hash of the client secret; null for a public client
 * @param grantTypes       the grant types it may use, as OAuth names ({@code password}, {@code client_credentials})
 * @param authorizedScopes the scopes it is authorized for; a token never carries more
 */
public record OAuthClient(
        String id,
        String orgId,
        String name,
        String clientId,
        String secretHash,
        Set<String> grantTypes,
        Set<String> authorizedScopes,
        Duration accessTokenLifetime,
        Instant createdAt) {

    public OAuthClient {
        grantTypes = Set.copyOf(grantTypes);
        authorizedScopes = Set.copyOf(authorizedScopes);
    }

    public boolean confidential() {
        return secretHash != null;
    }
}
