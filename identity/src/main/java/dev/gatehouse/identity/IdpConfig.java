package dev.gatehouse.identity;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Objects;

/**
 * How the built-in identity provider presents itself.
 *
 * @param publicBaseUrl              the URL clients reach this server at, without a trailing slash (for example
 *                                   {@code http://localhost:9090}); every issuer and endpoint is derived from it,
 *                                   so it must be what gateways and clients see, not a bind address
 * @param defaultAccessTokenLifetime how long an access token lives when its client sets no lifetime of its own;
 *                                   1 hour when null, at least 1 second and at most {@link #MAX_ACCESS_TOKEN_LIFETIME}
 */
public record IdpConfig(String publicBaseUrl, Duration defaultAccessTokenLifetime) {

    public static final Duration DEFAULT_ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);
    public static final Duration MAX_ACCESS_TOKEN_LIFETIME = Duration.ofHours(24);

    public IdpConfig {
        Objects.requireNonNull(publicBaseUrl, "publicBaseUrl must be set");
        checkBaseUrl(publicBaseUrl);
        defaultAccessTokenLifetime = defaultAccessTokenLifetime == null
                ? DEFAULT_ACCESS_TOKEN_LIFETIME
                : checkedLifetime("defaultAccessTokenLifetime", defaultAccessTokenLifetime);
    }

    public IdpConfig(String publicBaseUrl) {
        this(publicBaseUrl, DEFAULT_ACCESS_TOKEN_LIFETIME);
    }

    /** Access tokens live whole seconds, between 1 second and {@link #MAX_ACCESS_TOKEN_LIFETIME}. */
    static Duration checkedLifetime(String option, Duration lifetime) {
        if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_ACCESS_TOKEN_LIFETIME) > 0
                || lifetime.toNanosPart() != 0) {
            throw new IllegalArgumentException(option + " must be a whole number of seconds between 1 second and "
                    + MAX_ACCESS_TOKEN_LIFETIME.toHours() + " hours, was " + lifetime);
        }
        return lifetime;
    }

    private static void checkBaseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("publicBaseUrl must be a URL, was '" + url + "'");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("publicBaseUrl must be an http or https URL with a host, was '"
                    + url + "'");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "publicBaseUrl must not have user info, a query or a fragment, was '" + url + "'");
        }
        if (url.endsWith("/")) {
            throw new IllegalArgumentException("publicBaseUrl must not end with '/', was '" + url + "'");
        }
    }
}
