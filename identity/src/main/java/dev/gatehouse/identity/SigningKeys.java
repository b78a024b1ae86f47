package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.store.Store;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of every organization's built-in identity provider, and the cache in front of them.
 *
 * <p><b>What it guarantees.</b> Each organization signs with RSA 2048 keys of its own, with RS256 only. A key row
 * never changes once written, so a {@code kid} names the same key forever. New tokens are signed with the
 * organization's newest active key as the store has it at the time of the request; the JWKS and
 * {@link AccessTokenVerifier} use every key of the organization, active or not, so that tokens signed before a
 * rotation stay valid until they expire. A key is only ever trusted for the organization it is stored under: a
 * token of organization A, signed with A's key but naming B as its issuer, fails because B's keys lack that
 * {@code kid}.
 *
 * <p><b>Why it is built so.</b> The keys live in the store, the one source of truth that every control-plane
 * replica shares: no key file to copy between replicas, nothing to lose when a pod goes. Two caches spare the
 * store and the JSON parser: parsed keys by {@code kid}, which never go stale because keys never change, and each
 * organization's public key set by handle, which expires after {@link #PUBLISHED_TTL} by the injected clock.
 * Verification that meets an unknown {@code kid} reloads the organization's set at once, but at most once per
 * {@link #RELOAD_INTERVAL}, so a stream of forged {@code kid}s costs the store one query a second, not one per
 * request. Unknown organizations are not remembered: a freshly created organization is served at once.
 *
 * <p><b>What it costs.</b> Generating a key takes tens to hundreds of milliseconds, once per organization, in the
 * caller's transaction. A key written by another replica reaches this one's JWKS within {@link #PUBLISHED_TTL}
 * and its verifier on the first token that names it, so a future rotation must publish a key before signing with
 * it. Private keys are stored as plain private JWK JSON; encrypting them at rest under a master key is a later
 * issue.
 */
final class SigningKeys {

    static final JWSAlgorithm ALGORITHM = JWSAlgorithm.RS256;
    static final Duration PUBLISHED_TTL = Duration.ofSeconds(60);
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    private static final int KEY_SIZE_BITS = 2048;

    /** An organization's identity and the public parts of all its keys. */
    record OrgKeys(String orgId, String orgHandle, JWKSet publicKeys, Instant loadedAt) {

        boolean has(String kid) {
            return publicKeys.getKeyByKeyId(kid) != null;
        }
    }

    private final Store store;
    private final Clock clock;
    private final Cache<String, RSAKey> privateKeysByKid;
    private final Cache<String, OrgKeys> orgKeysByHandle;

    SigningKeys(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.privateKeysByKid = Caffeine.newBuilder().maximumSize(10_000).build();
        this.orgKeysByHandle = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(PUBLISHED_TTL)
                .ticker(ticker)
                .build();
    }

    /** A new key for the organization, as the row to store; its {@code kid} is its RFC 7638 thumbprint. */
    SigningKey generate(String orgId) {
        try {
            RSAKey key = new RSAKeyGenerator(KEY_SIZE_BITS)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(ALGORITHM)
                    .keyIDFromThumbprint(true)
                    .generate();
            return new SigningKey(key.getKeyID(), orgId, ALGORITHM.getName(), key.toJSONString(), true,
                    clock.instant());
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate an RSA signing key", e);
        }
    }

    /** The private key of a stored row, parsed once per {@code kid}. */
    RSAKey privateKey(SigningKey row) {
        return privateKeysByKid.get(row.kid(), kid -> parse(row));
    }

    /** Signs claims with a stored key, as a compact JWS of the given type whose {@code kid} names the key. */
    String sign(SigningKey row, JOSEObjectType type, JWTClaimsSet claims) {
        RSAKey key = privateKey(row);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(ALGORITHM).type(type).keyID(key.getKeyID()).build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a " + type + " with key " + key.getKeyID(), e);
        }
        return jwt.serialize();
    }

    /** The organization's keys; empty when no organization has this handle. */
    Optional<OrgKeys> ofOrganization(String orgHandle) {
        return Optional.ofNullable(orgKeysByHandle.get(orgHandle, this::load));
    }

    /**
     * The organization's keys, reloaded from the store first when they lack {@code kid} and were not loaded within
     * {@link #RELOAD_INTERVAL}.
     */
    Optional<OrgKeys> ofOrganizationWith(String orgHandle, String kid) {
        OrgKeys keys = orgKeysByHandle.get(orgHandle, this::load);
        if (keys == null || keys.has(kid)
                || Duration.between(keys.loadedAt(), clock.instant()).compareTo(RELOAD_INTERVAL) < 0) {
            return Optional.ofNullable(keys);
        }
        orgKeysByHandle.asMap().remove(orgHandle, keys);
        return ofOrganization(orgHandle);
    }

    private OrgKeys load(String orgHandle) {
        return store.read(tx -> tx.organizations().findByHandle(orgHandle).map(org -> {
            List<JWK> publicKeys = tx.signingKeys().list(org.id()).stream()
                    .filter(this::isUsable)
                    .map(row -> (JWK) privateKey(row).toPublicJWK())
                    .toList();
            return new OrgKeys(org.id(), org.handle(), new JWKSet(publicKeys), clock.instant());
        }).orElse(null));
    }

    private boolean isUsable(SigningKey row) {
        if (!ALGORITHM.getName().equals(row.algorithm())) {
            log.warn("signing key {} of organization {} has algorithm {}; only {} is used", row.kid(), row.orgId(),
                    row.algorithm(), ALGORITHM);
            return false;
        }
        return true;
    }

    private static RSAKey parse(SigningKey row) {
        try {
            RSAKey key = RSAKey.parse(row.privateJwk());
            if (!key.isPrivate() || !row.kid().equals(key.getKeyID())) {
                throw new IllegalStateException("signing key " + row.kid() + " is not the private RSA key it names");
            }
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + row.kid() + " is not a valid RSA JWK", e);
        }
    }
}
