package dev.gatehouse.identity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals private keys in the store: the identity provider's signing keys and the gateways' backend-JWT
 * signing key. AES-256-GCM with a fresh 96-bit nonce per seal and a label as associated data (an IdP key's
 * {@code kid}; {@code gateway:<kid>} for a gateway key), so a sealed key cannot be passed off under another
 * {@code kid} or as the other kind. A sealed value reads {@code aes256gcm:<base64 nonce + ciphertext + tag>}; a
 * value that starts with <code>{</code> is a key stored before sealing existed: it is read as it is, and sealed on
 * the next start.
 *
 * <p>It comes from configuration (32 random bytes, base64), the same on every control-plane replica; the embedded
 * one-command start keeps one in a file of its data directory that only its owner can read; a store that lives in
 * memory only gets one that lives as long.
 */
public final class MasterKey {

    private static final String PREFIX = "aes256gcm:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
        Arrays.fill(bytes, (byte) 0);
    }

    /** @throws IllegalArgumentException unless {@code base64} is 32 bytes in base64 */
    public static MasterKey parse(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("master-key must be base64, of 32 random bytes");
        }
        if (bytes.length != KEY_BYTES) {
            throw new IllegalArgumentException("master-key must be 32 bytes, was " + bytes.length);
        }
        return new MasterKey(bytes);
    }

    /** The key in {@code file}, made there first (readable by its owner only) when there is none. */
    public static MasterKey inFile(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                } else {
                    Files.createFile(file);
                }
                byte[] fresh = new byte[KEY_BYTES];
                RANDOM.nextBytes(fresh);
                Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n");
            } catch (FileAlreadyExistsException e) {
                // made by an earlier start: read below
            }
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the master key file " + file, e);
        }
    }

    /** A random key that lives as long as this process: for stores that do not outlive it. */
    public static MasterKey ephemeral() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return new MasterKey(bytes);
    }

    /** Whether a stored value is sealed, rather than a key stored before sealing existed. */
    public static boolean isSealed(String stored) {
        return stored.startsWith(PREFIX);
    }

    /**
     * A key of its own for {@code purpose} (HMAC-SHA256 of the purpose under the master key), the same on every
     * replica with the same master key, and telling nothing of the master key or of keys for other purposes.
     */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is missing from this JVM", e);
        }
    }

    /** Seals {@code plaintext} under this key, bound to {@code kid} (its associated data). */
    public String seal(String kid, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, kid, nonce);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal signing key " + kid, e);
        }
    }

    /**
     * The plaintext of a value sealed for {@code kid}, or a plaintext JWK as it is.
     *
     * @throws IllegalStateException when this is not the key {@code stored} was sealed with, or it was sealed for
     *                               another {@code kid}
     */
    public String open(String kid, String stored) {
        if (stored.startsWith("{")) {
            return stored;
        }
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("signing key " + kid + " is neither sealed nor a JWK");
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, kid, Arrays.copyOf(in, NONCE_BYTES));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the master key does not open signing key " + kid
                    + ": start with the master key it was sealed with");
        }
    }

    private Cipher cipher(int mode, String kid, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "MasterKey[hidden]";
    }
}
