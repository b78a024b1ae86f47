package dev.gatehouse.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.BackendSigningKey;
import dev.gatehouse.model.snapshot.ClientBinding;
import dev.gatehouse.model.snapshot.RoutedApi;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Signs the JWT a backend gets with a call it is forwarded, for APIs that ask for one: who called, as the gateway
 * established it. The claims are {@code iss} (the control plane's gateway issuer), {@code sub} (the caller's token
 * subject), {@code aud} (the API's base path), {@code iat}, {@code exp} ({@value #LIFETIME_SECONDS} s later), and
 * {@code application}, {@code client_id}, {@code subscriber} (the caller's token subject), {@code scope} (the
 * caller's granted scopes, sorted), {@code key_type}, {@code environment}, {@code org}, {@code api},
 * {@code api_name} and {@code api_version}. The header is {@code typ: JWT}, {@code alg: ES256} and the key's
 * {@code kid}; backends verify it with the key set the control plane publishes.
 *
 * <p><b>What it costs.</b> An ES256 signature takes tens of microseconds, too much for every call: a signed JWT is
 * reused for the same API, application, subject and scopes for half its lifetime, so a busy caller costs one
 * cache lookup per call and one signature every {@value #REUSE_SECONDS} s. One signer is made per snapshot, so a
 * new key takes effect with the snapshot that brings it.
 */
public final class BackendJwtSigner {

    static final long LIFETIME_SECONDS = 60;
    static final long REUSE_SECONDS = LIFETIME_SECONDS / 2;
    private static final int MAX_CACHED = 10_000;

    private record Caller(String apiId, String applicationId, String subject, Set<String> scopes) {
    }

    private final String issuer;
    private final String keyId;
    private final ECDSASigner signer;
    private final Environment environment;
    private final Clock clock;
    private final Cache<Caller, String> signed;

    private BackendJwtSigner(String issuer, ECKey key, Environment environment, Clock clock) throws JOSEException {
        this.issuer = issuer;
        this.keyId = key.getKeyID();
        this.signer = new ECDSASigner(key);
        this.environment = environment;
        this.clock = clock;
        long origin = clock.millis();
        this.signed = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED)
                .ticker(() -> (clock.millis() - origin) * 1_000_000L)
                .expireAfterWrite(Duration.ofSeconds(REUSE_SECONDS))
                .build();
    }

    /**
     * A signer for the snapshot's key.
     *
     * @throws IllegalArgumentException if the key is not an EC P-256 private key
     */
    public static BackendJwtSigner of(BackendSigningKey key, Environment environment, Clock clock) {
        Objects.requireNonNull(key, "key");
        try {
            ECKey ec = ECKey.parse(key.privateJwk());
            if (!ec.isPrivate()) {
                throw new IllegalArgumentException("the backend signing key has no private part");
            }
            return new BackendJwtSigner(key.issuer(), ec, environment, clock);
        } catch (ParseException | JOSEException e) {
            throw new IllegalArgumentException("the backend signing key is not an EC private JWK", e);
        }
    }

    /**
     * The backend JWT for a call allowed for {@code client} to {@code api}, with {@code token}, or with an API key
     * when {@code token} is null (then without {@code sub}, {@code subscriber} and {@code client_id}, and with an
     * empty {@code scope}).
     */
    public String sign(RoutedApi api, ClientBinding client, TokenCheck.Valid token) {
        String subject = token == null ? null : token.claims().getSubject();
        Set<String> scopes = token == null ? Set.of() : token.grantedScopes();
        return signed.get(new Caller(api.apiId(), client.applicationId(), subject, scopes),
                caller -> newToken(api, client, token == null ? null : token.clientId(), subject, scopes));
    }

    private String newToken(RoutedApi api, ClientBinding client, String clientId, String subject,
                            Set<String> scopes) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject)
                .audience(api.basePath())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(LIFETIME_SECONDS)))
                .claim("application", client.applicationId())
                .claim("client_id", clientId)
                .claim("subscriber", subject)
                .claim("scope", String.join(" ", new TreeSet<>(scopes)))
                .claim("key_type", client.keyType().wireName())
                .claim("environment", environment.wireName())
                .claim("org", api.orgHandle())
                .claim("api", api.apiId())
                .claim("api_name", api.name())
                .claim("api_version", api.version())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(keyId).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a backend JWT with key " + keyId, e);
        }
        return jwt.serialize();
    }
}
