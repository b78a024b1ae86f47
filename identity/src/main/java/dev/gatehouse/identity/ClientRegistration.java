package dev.gatehouse.identity;

import dev.gatehouse.model.Scopes;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an OAuth client is registered with in the built-in identity provider.
 *
 * @param name                a display name, 1 to 200 characters
 * @param grantTypes          the grants it may use: {@code authorization_code} (which needs a redirect URI),
 *                            {@code password}, {@code client_credentials} (only for a confidential client,
 *                            RFC 6749 section 4.4), {@value #DEVICE_CODE} (RFC 8628, for devices and CLIs that
 *                            cannot show a browser), {@value #TOKEN_EXCHANGE} (only for a confidential client) and
 *                            {@code refresh_token} (with one of the user grants: those then return a refresh token
 *                            too)
 * @param authorizedScopes    the most its tokens can carry; each must be defined by an API resource of the
 *                            organization
 * @param confidential        whether it gets a secret; a public client authenticates with its client ID alone
 * @param accessTokenLifetime how long its access tokens live; null for the provider's default
 * @param redirectUris        where the authorization endpoint may send users back to, compared exactly: absolute
 *                            {@code https} URIs, or {@code http} ones on a loopback host, without a fragment
 * @param dpopBoundAccessTokens whether every token request must carry a DPoP proof (RFC 9449 section 5.2), so that
 *                            all its access tokens are bound to its key
 */
public record ClientRegistration(String name, Set<String> grantTypes, Set<String> authorizedScopes,
                                 boolean confidential, Duration accessTokenLifetime, List<String> redirectUris,
                                 boolean dpopBoundAccessTokens) {

    static final String AUTHORIZATION_CODE = "authorization_code";
    static final String PASSWORD = "password";
    static final String CLIENT_CREDENTIALS = "client_credentials";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
    static final Set<String> SUPPORTED_GRANT_TYPES =
            Set.of(AUTHORIZATION_CODE, PASSWORD, CLIENT_CREDENTIALS, REFRESH_TOKEN, TOKEN_EXCHANGE, DEVICE_CODE);
    static final int MAX_REDIRECT_URIS = 10;
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    /** A client without redirect URIs, for the grants that need none. */
    public ClientRegistration(String name, Set<String> grantTypes, Set<String> authorizedScopes,
                              boolean confidential, Duration accessTokenLifetime) {
        this(name, grantTypes, authorizedScopes, confidential, accessTokenLifetime, List.of());
    }

    /** A client that may, but need not, send DPoP proofs. */
    public ClientRegistration(String name, Set<String> grantTypes, Set<String> authorizedScopes,
                              boolean confidential, Duration accessTokenLifetime, List<String> redirectUris) {
        this(name, grantTypes, authorizedScopes, confidential, accessTokenLifetime, redirectUris, false);
    }

    public ClientRegistration {
        Objects.requireNonNull(name, "name must be set");
        Objects.requireNonNull(grantTypes, "grantTypes must be set");
        Objects.requireNonNull(authorizedScopes, "authorizedScopes must be set");
        if (name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("name must be 1 to 200 characters");
        }
        grantTypes = Set.copyOf(grantTypes);
        redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        authorizedScopes = Set.copyOf(authorizedScopes);
        if (grantTypes.isEmpty()) {
            throw new IllegalArgumentException("grantTypes must name at least one grant type");
        }
        for (String grantType : grantTypes) {
            if (!SUPPORTED_GRANT_TYPES.contains(grantType)) {
                throw new IllegalArgumentException("grantTypes: unsupported grant type '" + grantType
                        + "' (supported: authorization_code, client_credentials, password, refresh_token, "
                        + TOKEN_EXCHANGE + ", " + DEVICE_CODE + ")");
            }
        }
        if (grantTypes.contains(REFRESH_TOKEN) && !grantTypes.contains(AUTHORIZATION_CODE)
                && !grantTypes.contains(PASSWORD) && !grantTypes.contains(DEVICE_CODE)) {
            throw new IllegalArgumentException(
                    "grantTypes: refresh_token needs authorization_code, password or " + DEVICE_CODE);
        }
        if (grantTypes.contains(CLIENT_CREDENTIALS) && !confidential) {
            throw new IllegalArgumentException("grantTypes: client_credentials needs a confidential client");
        }
        if (grantTypes.contains(TOKEN_EXCHANGE) && !confidential) {
            throw new IllegalArgumentException("grantTypes: token exchange needs a confidential client");
        }
        for (String scope : authorizedScopes) {
            if (!Scopes.isScopeToken(scope)) {
                throw new IllegalArgumentException("authorizedScopes: '" + scope + "' is not a valid scope");
            }
        }
        if (accessTokenLifetime != null) {
            IdpConfig.checkedLifetime("accessTokenLifetime", accessTokenLifetime);
        }
        checkRedirectUris(redirectUris);
        if (grantTypes.contains(AUTHORIZATION_CODE) && redirectUris.isEmpty()) {
            throw new IllegalArgumentException("redirectUris: authorization_code needs at least one redirect URI");
        }
    }

    private static void checkRedirectUris(List<String> redirectUris) {
        if (redirectUris.size() > MAX_REDIRECT_URIS) {
            throw new IllegalArgumentException("redirectUris: at most " + MAX_REDIRECT_URIS + " are allowed");
        }
        if (new HashSet<>(redirectUris).size() != redirectUris.size()) {
            throw new IllegalArgumentException("redirectUris: each may be listed once");
        }
        for (String value : redirectUris) {
            URI uri;
            try {
                uri = new URI(value);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("redirectUris: '" + value + "' is not a URI");
            }
            boolean https = "https".equals(uri.getScheme()) && uri.getHost() != null;
            boolean loopback = "http".equals(uri.getScheme()) && uri.getHost() != null
                    && LOOPBACK_HOSTS.contains(uri.getHost());
            if (!https && !loopback || uri.getRawFragment() != null || value.length() > 2000) {
                throw new IllegalArgumentException("redirectUris: '" + value + "' must be an https URI (or http on "
                        + "localhost) without a fragment, at most 2000 characters");
            }
        }
    }
}
