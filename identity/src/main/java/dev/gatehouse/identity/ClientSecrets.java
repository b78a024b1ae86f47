package dev.gatehouse.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Client IDs and secrets. A secret is 32 random bytes, so a fast hash is enough to keep it: there is nothing to
 * guess that a slow hash would protect. Only {@code sha256:<base64url digest>} is stored.
 */
final class ClientSecrets {

    private static final String PREFIX = "sha256:";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    ClientSecrets(SecureRandom random) {
        this.random = random;
    }

    String newClientId() {
        return randomToken(16);
    }

    String newSecret() {
        return randomToken(32);
    }

    static String hash(String secret) {
        return PREFIX + B64URL.encodeToString(sha256(secret));
    }

    /** Constant-time comparison of a presented secret with a stored hash. */
    static boolean matches(String presentedSecret, String storedHash) {
        if (presentedSecret == null || storedHash == null || !storedHash.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getUrlDecoder().decode(storedHash.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(sha256(presentedSecret), expected);
    }

    private String randomToken(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return B64URL.encodeToString(value);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
