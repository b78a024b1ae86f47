package dev.gatehouse.ui;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where a sign-in in progress waits for the browser to come back: in the browser itself, as a cookie sealed with
 * AES-256-GCM (a JWE, {@code dir}) under a key every replica shares (derived from the master key), for at most
 * {@link #LIFETIME}. So starting a sign-in costs the server no memory, however many are started, the PKCE verifier
 * and nonce can be neither read nor changed on the way, and the sign-in may end on any replica.
 */
final class SignInCookie {

    static final String NAME = "gatehouse_signin";
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final DirectEncrypter encrypter;
    private final DirectDecrypter decrypter;
    private final Clock clock;

    /** @param key 32 bytes */
    SignInCookie(byte[] key, Clock clock) {
        SecretKeySpec secret = new SecretKeySpec(key, "AES");
        try {
            this.encrypter = new DirectEncrypter(secret);
            this.decrypter = new DirectDecrypter(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException("AES-256-GCM is missing from this JVM", e);
        }
        this.clock = clock;
    }

    String seal(SignIn.Pending pending) {
        JsonObject content = pending.toJson().put("exp", clock.instant().plus(LIFETIME).getEpochSecond());
        JWEObject sealed = new JWEObject(new JWEHeader(JWEAlgorithm.DIR, EncryptionMethod.A256GCM),
                new Payload(content.encode()));
        try {
            sealed.encrypt(encrypter);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot seal a sign-in", e);
        }
        return sealed.serialize();
    }

    /** The sign-in the cookie holds, if this process sealed it and it has not expired. */
    Optional<SignIn.Pending> open(String cookie) {
        if (cookie == null || cookie.isEmpty()) {
            return Optional.empty();
        }
        try {
            JWEObject sealed = JWEObject.parse(cookie);
            if (!JWEAlgorithm.DIR.equals(sealed.getHeader().getAlgorithm())
                    || !EncryptionMethod.A256GCM.equals(sealed.getHeader().getEncryptionMethod())) {
                return Optional.empty();
            }
            sealed.decrypt(decrypter);
            JsonObject content = new JsonObject(sealed.getPayload().toString());
            if (clock.instant().getEpochSecond() >= content.getLong("exp", 0L)) {
                return Optional.empty();
            }
            return Optional.of(SignIn.Pending.fromJson(content));
        } catch (ParseException | JOSEException | DecodeException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
