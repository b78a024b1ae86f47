package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.store.Store;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys of every organization's built-in identity provider, and the cache in front of them.
 *
 * <p><b>What it guarantees.</b> Each organization signs with keys of its own: RSA 2048 for RS256 or PS256, P-256
 * for ES256. A key never changes once written, so a {@code kid} names the same key forever, and a key signs
 * only with the algorithm it was made for. New tokens are signed with the key whose {@code signsFrom} came last
 * before the request, as the store has it. A rotation publishes the next key at once and lets it sign only
 * {@link #PUBLISH_AHEAD} later (or at once, when an admin says so after a compromise), so verifiers that cache
 * the JWKS learn it before they meet it; the key it succeeds stays published for {@link #KEEP_AFTER_RETIREMENT}
 * after it stops signing, the longest any token it signed can live. The JWKS and {@link AccessTokenVerifier} use
 * exactly the published keys. A key is only ever trusted for the organization it is stored under: a token of
 * organization A, signed with A's key but naming B as its issuer, fails because B's keys lack that {@code kid}.
 * The one change a key row ever sees is its private part going from plaintext (a store written before sealing
 * existed) to the same key sealed, at start.
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
 * and its verifier on the first token that names it, well within the {@link #PUBLISH_AHEAD} of a rotation.
 * Private keys are stored sealed under the {@link MasterKey}, and opened once per {@code kid}.
 */
final class SigningKeys {

    /** The algorithms an organization may sign with; a key signs with the one it was made for. */
    static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256);
    /** The algorithm of a new organization's first key. */
    static final JWSAlgorithm DEFAULT_ALGORITHM = JWSAlgorithm.RS256;
    /** How long a rotated-in key is published before it signs. */
    static final Duration PUBLISH_AHEAD = Duration.ofMinutes(10);
    /** How long a key stays published after it stops signing: the longest a token it signed can live. */
    static final Duration KEEP_AFTER_RETIREMENT = IdpConfig.MAX_ACCESS_TOKEN_LIFETIME;
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
    private final MasterKey masterKey;
    private final Clock clock;
    private final Cache<String, JWK> privateKeysByKid;
    private final Cache<String, OrgKeys> orgKeysByHandle;

    SigningKeys(Store store, MasterKey masterKey, Clock clock) {
        this.store = store;
        this.masterKey = masterKey;
        this.clock = clock;
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.privateKeysByKid = Caffeine.newBuilder().maximumSize(10_000).build();
        this.orgKeysByHandle = Caffeine.newBuilder()
                .maximumSize(10_000)
                .expireAfterWrite(PUBLISHED_TTL)
                .ticker(ticker)
                .build();
    }

    /** A new organization's first key: RS256, signing at once. */
    SigningKey generate(String orgId) {
        return generate(orgId, DEFAULT_ALGORITHM, clock.instant());
    }

    /**
     * A new key for the organization, as the row to store, published from now and signing from {@code signsFrom};
     * its {@code kid} is its RFC 7638 thumbprint.
     *
     * @throws IllegalArgumentException for an algorithm not in {@link #ALGORITHMS}
     */
    SigningKey generate(String orgId, JWSAlgorithm algorithm, Instant signsFrom) {
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("algorithm must be one of RS256, PS256 or ES256, was " + algorithm);
        }
        try {
            JWK key = JWSAlgorithm.Family.EC.contains(algorithm)
                    ? new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                            .keyIDFromThumbprint(true).generate()
                    : new RSAKeyGenerator(KEY_SIZE_BITS).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                            .keyIDFromThumbprint(true).generate();
            return new SigningKey(key.getKeyID(), orgId, algorithm.getName(),
                    masterKey.seal(key.getKeyID(), key.toJSONString()), true, clock.instant(), signsFrom);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a " + algorithm + " signing key", e);
        }
    }

    /** The private key of a stored row, parsed once per {@code kid}. */
    JWK privateKey(SigningKey row) {
        return privateKeysByKid.get(row.kid(), kid -> parse(row));
    }

    /** A stored row's private key in its sealed form, for a row stored before sealing existed. */
    String sealed(SigningKey row) {
        return masterKey.seal(row.kid(), masterKey.open(row.kid(), row.privateJwk()));
    }

    /** Signs claims with a stored key and its algorithm: a compact JWS of the given type, its {@code kid} the key's. */
    String sign(SigningKey row, JOSEObjectType type, JWTClaimsSet claims) {
        JWK key = privateKey(row);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(row.algorithm())).type(type)
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner(key.toRSAKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a " + type + " with key " + key.getKeyID(), e);
        }
        return jwt.serialize();
    }

    /** Forgets the published key sets, so that a rotation made here shows in this replica's JWKS at once. */
    void published() {
        orgKeysByHandle.invalidateAll();
    }

    /**
     * Which of an organization's keys are published at {@code now}: those still to sign, the one signing, and
     * those that stopped signing less than {@link #KEEP_AFTER_RETIREMENT} ago. A key stops signing when the next
     * one by {@code signsFrom} starts.
     */
    static List<SigningKey> publishedAt(List<SigningKey> keys, Instant now) {
        List<SigningKey> bySigningStart = keys.stream().filter(SigningKey::active)
                .sorted(Comparator.comparing(SigningKey::signsFrom).thenComparing(SigningKey::kid))
                .toList();
        List<SigningKey> published = new ArrayList<>();
        for (int i = 0; i < bySigningStart.size(); i++) {
            Instant stopped = i + 1 < bySigningStart.size() ? bySigningStart.get(i + 1).signsFrom() : null;
            if (stopped == null || stopped.plus(KEEP_AFTER_RETIREMENT).isAfter(now)) {
                published.add(bySigningStart.get(i));
            }
        }
        return published;
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

    /** The organization's published keys at {@code now}, oldest first, each with its state. */
    static List<SigningKeyState> statesAt(List<SigningKey> keys, Instant now) {
        List<SigningKey> published = publishedAt(keys, now);
        List<SigningKeyState> states = new ArrayList<>();
        for (int i = 0; i < published.size(); i++) {
            SigningKey key = published.get(i);
            Instant stopped = i + 1 < published.size() ? published.get(i + 1).signsFrom() : null;
            String state = key.signsFrom().isAfter(now) ? "next"
                    : stopped == null || stopped.isAfter(now) ? "signing" : "retired";
            states.add(new SigningKeyState(key.kid(), key.algorithm(), key.createdAt(), key.signsFrom(), state,
                    state.equals("retired") ? stopped.plus(KEEP_AFTER_RETIREMENT) : null));
        }
        return states;
    }

    private OrgKeys load(String orgHandle) {
        return store.read(tx -> tx.organizations().findByHandle(orgHandle).map(org -> {
            List<SigningKey> usable = tx.signingKeys().list(org.id()).stream().filter(this::isUsable).toList();
            List<JWK> publicKeys = publishedAt(usable, clock.instant()).stream()
                    .map(row -> privateKey(row).toPublicJWK())
                    .toList();
            return new OrgKeys(org.id(), org.handle(), new JWKSet(publicKeys), clock.instant());
        }).orElse(null));
    }

    private boolean isUsable(SigningKey row) {
        if (!ALGORITHMS.contains(JWSAlgorithm.parse(row.algorithm()))) {
            log.warn("signing key {} of organization {} has algorithm {}; only {} are used", row.kid(), row.orgId(),
                    row.algorithm(), ALGORITHMS);
            return false;
        }
        return true;
    }

    private JWK parse(SigningKey row) {
        try {
            JWK key = JWK.parse(masterKey.open(row.kid(), row.privateJwk()));
            boolean fits = JWSAlgorithm.Family.EC.contains(JWSAlgorithm.parse(row.algorithm()))
                    ? key instanceof ECKey : key instanceof RSAKey;
            if (!key.isPrivate() || !fits || !row.kid().equals(key.getKeyID())) {
                throw new IllegalStateException("signing key " + row.kid() + " is not the private "
                        + row.algorithm() + " key it names");
            }
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("signing key " + row.kid() + " is not a valid JWK", e);
        }
    }
}
