package dev.gatehouse.server;

/** The rule for the secret shared by the control plane and gateway processes. */
final class GatewayToken {

    static final int MIN_LENGTH = 32;

    private GatewayToken() {
    }

    /** Refuses a token too short to resist guessing; null (no feed) passes. */
    static void check(String token) {
        if (token != null && token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("gateway-token must be at least " + MIN_LENGTH
                    + " characters (for example: openssl rand -base64 32)");
        }
    }
}
