package dev.gatehouse.model.consumer;

import dev.gatehouse.model.KeyType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

/**
 * An application's API key, as it is kept: never the key itself, only its SHA-256 digest (in the store and in the
 * gateways' snapshots) and its first characters, for its owner to tell keys apart. A key is 32 random bytes, so a
 * plain digest cannot be reversed by guessing, as a password's could.
 *
 * @param prefix the key's first {@value #PREFIX_LENGTH} characters
 */
public record ApiKey(String id, String applicationId, String name, KeyType keyType, String prefix,
                     Instant createdAt) {

    /** Every key starts so, which tells a leaked one apart from other secrets (for secret scanners). */
    public static final String KEY_PREFIX = "ghk_";
    public static final int PREFIX_LENGTH = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new random key: {@value #KEY_PREFIX} and 43 base64url characters. */
    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The digest a key is kept and looked up by: SHA-256, base64url. */
    public static String digest(String key) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
