package dev.gatehouse.model.identity;

/**
 * What the built-in identity provider's opaque access tokens look like from outside: a prefix, so that the gateways
 * know to resolve one rather than parse it, and secret scanners can recognize one, then a random reference.
 */
public final class OpaqueAccessTokens {

    public static final String PREFIX = "gh_at_";
    /** Longer strings with the prefix are not tokens the identity provider issued, and are not looked up. */
    public static final int MAX_LENGTH = 100;

    private OpaqueAccessTokens() {
    }

    public static boolean looksOpaque(String token) {
        return token.startsWith(PREFIX) && token.length() <= MAX_LENGTH;
    }
}
