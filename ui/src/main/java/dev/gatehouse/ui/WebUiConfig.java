package dev.gatehouse.ui;

import java.util.Map;
import java.util.Objects;

/**
 * Where the console and the developer portal find what they show.
 *
 * @param publicUrl   the server's public URL: what browsers reach, and the built-in identity provider's issuers
 * @param internalUrl the same server as this process reaches it (a loopback address): the management API and the
 *                    identity provider's token endpoint are called there
 * @param gatewayUrls each environment's gateway URL by wire name ({@code production}, {@code development}): the
 *                    only places the try-it relay forwards to
 * @param cookieKey   32 bytes sealing sign-ins in progress, the same on every replica so that a sign-in may end on
 *                    another replica than it began on
 */
public record WebUiConfig(String publicUrl, String internalUrl, Map<String, String> gatewayUrls, byte[] cookieKey) {

    public WebUiConfig {
        if (cookieKey == null || cookieKey.length != 32) {
            throw new IllegalArgumentException("cookieKey must be 32 bytes");
        }
        cookieKey = cookieKey.clone();
        publicUrl = withoutTrailingSlash(Objects.requireNonNull(publicUrl, "publicUrl"));
        internalUrl = withoutTrailingSlash(Objects.requireNonNull(internalUrl, "internalUrl"));
        gatewayUrls = Map.copyOf(gatewayUrls);
    }

    @Override
    public byte[] cookieKey() {
        return cookieKey.clone();
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The built-in identity provider of an organization as browsers reach it, in Asgardeo's layout. */
    String identityProvider(String org) {
        return publicUrl + "/t/" + org + "/oauth2";
    }

    /** The built-in identity provider of an organization as this process reaches it. */
    String internalIdentityProvider(String org) {
        return internalUrl + "/t/" + org + "/oauth2";
    }

    /** Cookies are marked Secure when browsers reach the server over HTTPS. */
    boolean secure() {
        return publicUrl.startsWith("https://");
    }
}
