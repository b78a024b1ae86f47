package dev.gatehouse.identity;

import dev.gatehouse.model.Scopes;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What an OAuth client is registered with in the built-in identity provider.
 *
 * @param name                a display name, 1 to 200 characters
 * @param grantTypes          the grants it may use: {@code password} and/or {@code client_credentials} (the latter
 *                            only for a confidential client, RFC 6749 section 4.4)
 * @param authorizedScopes    the most its tokens can carry; each must be defined by an API resource of the
 *                            organization
 * @param confidential        whether it gets a secret; a public client authenticates with its client ID alone
 * @param accessTokenLifetime how long its access tokens live; null for the provider's default
 */
public record ClientRegistration(String name, Set<String> grantTypes, Set<String> authorizedScopes,
                                 boolean confidential, Duration accessTokenLifetime) {

    static final String PASSWORD = "password";
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final Set<String> SUPPORTED_GRANT_TYPES = Set.of(PASSWORD, CLIENT_CREDENTIALS);

    public ClientRegistration {
        Objects.requireNonNull(name, "name must be set");
        Objects.requireNonNull(grantTypes, "grantTypes must be set");
        Objects.requireNonNull(authorizedScopes, "authorizedScopes must be set");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name must be 1 to 200 characters");
        }
        grantTypes = Set.copyOf(grantTypes);
        authorizedScopes = Set.copyOf(authorizedScopes);
        if (grantTypes.isEmpty()) {
            throw new IllegalArgumentException("grantTypes must name at least one grant type");
        }
        for (String grantType : grantTypes) {
            if (!SUPPORTED_GRANT_TYPES.contains(grantType)) {
                throw new IllegalArgumentException("grantTypes: unsupported grant type '" + grantType
                        + "' (supported: client_credentials, password)");
            }
        }
        if (grantTypes.contains(CLIENT_CREDENTIALS) && !confidential) {
            throw new IllegalArgumentException("grantTypes: client_credentials needs a confidential client");
        }
        for (String scope : authorizedScopes) {
            if (!Scopes.isScopeToken(scope)) {
                throw new IllegalArgumentException("authorizedScopes: '" + scope + "' is not a valid scope");
            }
        }
        if (accessTokenLifetime != null) {
            IdpConfig.checkedLifetime("accessTokenLifetime", accessTokenLifetime);
        }
    }
}
