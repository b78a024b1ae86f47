package dev.gatehouse.model.identity;

/**
 * What the built-in identity provider's opaque access tokens look like from outside: a prefix, so that the gateways
 * know to resolve one rather than parse it, and secret scanners can recognize one, then a random reference.
 */
public final class OpaqueAccessTokens {

    public static final String PREFIX = "gh_at_";
    /** The prefix and 32 random bytes in base64url: other strings are not tokens it issued, and are not looked up. */
    public static final int LENGTH = PREFIX.length() + 43;

    private OpaqueAccessTokens() {
    }

    public static boolean looksOpaque(String token) {
        return token.length() == LENGTH && token.startsWith(PREFIX);
    }
}
