package dev.gatehouse.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.model.identity.OpaqueAccessTokens;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import io.vertx.core.Future;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Verifies a bearer JWT for one organization: issuer, then signature, then time and audience claims.
 *
 * <p><b>What it guarantees.</b> A token is {@link TokenCheck.Valid} only if all of these hold, checked in this order
 * and refused at the first that does not: it is an RFC 6750 b64token of at most {@value #MAX_TOKEN_CHARS} characters
 * and a compact JWS (not unsigned, not encrypted); its {@code iss} is an issuer the calling API's organization trusts,
 * so another organization's identity provider can never mint tokens for it; its {@code alg} is in the allow-list, which
 * admits only RSA and EC signatures, so {@code none} and HMAC (the classic "public key used as HMAC secret" confusion)
 * never verify; it marks no header parameter critical (the gateway understands none); a key of the issuer's published
 * set matches it ({@code kid} when the token names one, key type and, for EC, curve fitting {@code alg}, use and
 * operations allowing signatures, RSA moduli of at least 2048 bits) and the signature verifies with it; {@code exp} is
 * present and not past, {@code nbf} is not in the future, both with the configured clock skew; and, when the issuer is
 * registered with an audience, {@code aud} contains it. Keys come only from the issuer's registered JWKS URI through
 * {@link KeySetSource}; the {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} header parameters are never read.
 * Every refusal names the failed step and what exactly failed; none includes the token.
 *
 * <p><b>Why it is built so.</b> The issuer is looked up before any key is touched so that an untrusted token
 * costs no fetch and no signature check. The cryptography is Nimbus JOSE+JWT's ({@link RSASSAVerifier},
 * {@link ECDSAVerifier}, {@link JWKSelector}); this class only decides which key may verify which algorithm, the
 * part libraries leave to the caller and attackers probe. The only asynchronous step is getting keys: a token
 * whose key the cached set lacks asks the source for one refetch, which the source rate-limits.
 *
 * <p><b>What it remembers.</b> A token found valid is kept in a bounded cache, keyed by the SHA-256 digest of its
 * compact serialization (the token itself is not kept), until its {@code exp} plus the clock skew passes on the
 * injected clock. A cached verdict is used only while it would still be reached afresh: the issuer it was verified
 * for must be the very issuer (same registration: organization, JWKS URI, audience, claim mapping) the calling
 * API's organization trusts in the current snapshot, and the key set it was verified with must still be the one
 * the {@link KeySetSource} holds for that issuer. So a snapshot that drops or changes an issuer, and a key set
 * refetched after the identity provider withdrew a key, make the next call verify the token again; calls for
 * another organization's APIs never see another organization's verdicts. Refusals are never cached. A cached verdict
 * says nothing about a DPoP proof: for a token bound to a key ({@code cnf.jkt}) the proof is checked on every call,
 * after this class answered ({@link DpopProofCheck}).
 *
 * <p><b>Opaque tokens.</b> A token of the built-in identity provider's opaque form ({@link OpaqueAccessTokens}) is
 * not parsed: an {@link OpaqueTokenResolver} gives its claims, which then meet the same issuer and claim checks, and
 * its verdict is cached like a JWT's but for at most {@link #OPAQUE_VERDICT_LIFETIME}; one the provider did not know
 * is refused without asking again for {@link #UNKNOWN_OPAQUE_LIFETIME}, so a flood of made-up tokens costs it little.
 *
 * <p><b>What it costs.</b> Per call with a token already seen: one SHA-256 over the token, one cache lookup and
 * one map lookup; no parse, no signature check. Per new token: one JWT parse and one signature check, and a
 * bounded number of signature checks when a token names no {@code kid} and the issuer publishes several matching
 * keys. At most {@value #MAX_CACHED_TOKENS} verdicts are kept (a few hundred bytes each: the parsed claims).
 * Refusals are values, so a flood of bad tokens allocates no exceptions beyond the parser's own.
 */
public final class TokenVerifier {

    /** The JWS algorithms a gateway can be configured to accept: asymmetric signatures whose keys a JWKS holds. */
    public static final Set<JWSAlgorithm> SUPPORTED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    static final int MIN_RSA_KEY_BITS = 2048;
    /** How long an opaque token's resolution is trusted before the identity provider is asked again. */
    static final Duration OPAQUE_VERDICT_LIFETIME = Duration.ofSeconds(60);
    /** How long an opaque token the identity provider did not know is refused without asking it again. */
    static final Duration UNKNOWN_OPAQUE_LIFETIME = Duration.ofSeconds(10);
    private static final String UNKNOWN_OPAQUE = "the opaque token is unknown or expired";
    static final int MAX_CACHED_TOKENS = 100_000;
    /** Longer tokens are refused unread: no real access token comes near it, and parsing costs grow with size. */
    static final int MAX_TOKEN_CHARS = 8192;
    private static final int MAX_DETAIL_VALUE_LENGTH = 120;
    private static final boolean[] B64TOKEN_CHARS = b64tokenChars();

    private final KeySetSource keySets;
    private final OpaqueTokenResolver opaqueTokens;
    private final Clock clock;
    private final Set<JWSAlgorithm> allowedAlgorithms;
    private final Duration clockSkew;
    private final Cache<TokenDigest, Verified> verified;
    private final Cache<TokenDigest, Boolean> unknownOpaque;

    /**
     * @param allowedAlgorithms a subset of {@link #SUPPORTED_ALGORITHMS}
     * @param clockSkew         how far {@code exp} and {@code nbf} may be off against {@code clock}
     */
    public TokenVerifier(KeySetSource keySets, Clock clock, Set<JWSAlgorithm> allowedAlgorithms,
                         Duration clockSkew) {
        this(keySets, OpaqueTokenResolver.NONE, clock, allowedAlgorithms, clockSkew);
    }

    /**
     * @param opaqueTokens resolves the built-in identity provider's opaque tokens ({@link OpaqueAccessTokens})
     */
    public TokenVerifier(KeySetSource keySets, OpaqueTokenResolver opaqueTokens, Clock clock,
                         Set<JWSAlgorithm> allowedAlgorithms, Duration clockSkew) {
        this.keySets = Objects.requireNonNull(keySets, "keySets");
        this.opaqueTokens = Objects.requireNonNull(opaqueTokens, "opaqueTokens");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        long origin = clock.millis();
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED_TOKENS)
                .ticker(() -> (clock.millis() - origin) * 1_000_000L)
                .expireAfter(Expiry.<TokenDigest, Verified>creating((digest, verdict) ->
                        Duration.ofMillis(verdict.expiresAtMillis() - clock.millis())))
                .build();
        this.unknownOpaque = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED_TOKENS)
                .ticker(() -> (clock.millis() - origin) * 1_000_000L)
                .expireAfterWrite(UNKNOWN_OPAQUE_LIFETIME)
                .build();
        Set<JWSAlgorithm> unsupported = new HashSet<>(this.allowedAlgorithms);
        unsupported.removeAll(SUPPORTED_ALGORITHMS);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException("unsupported JWS algorithms " + unsupported);
        }
    }

    /**
     * Verifies {@code token} for an API of organization {@code orgHandle}.
     *
     * @param token          the compact serialization from the {@code Authorization} header
     * @param trustedIssuers the organization's trusted issuers, keyed by their {@code iss} value
     */
    public Future<TokenCheck> verify(String token, String orgHandle, Map<String, TrustedIssuer> trustedIssuers) {
        if (token.length() > MAX_TOKEN_CHARS) {
            return invalid(Check.CREDENTIAL, "the bearer token is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        TokenDigest digest = TokenDigest.of(token);
        Verified known = verified.getIfPresent(digest);
        if (known != null && stillHolds(known, trustedIssuers)) {
            return Future.succeededFuture(known.valid());
        }
        if (!isB64Token(token)) {
            return invalid(Check.CREDENTIAL, "the Authorization header does not carry a well-formed bearer token");
        }
        if (OpaqueAccessTokens.looksOpaque(token)) {
            return verifyOpaque(token, digest, orgHandle, trustedIssuers);
        }
        JWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = JWTParser.parse(token);
            if (jwt instanceof EncryptedJWT) {
                return invalid(Check.CREDENTIAL, "encrypted tokens are not accepted");
            }
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return invalid(Check.CREDENTIAL, "the bearer token is not a well-formed JWT");
        }

        Object iss = claims.getClaim("iss");
        if (!(iss instanceof String issuerName) || issuerName.isEmpty()) {
            return invalid(Check.ISSUER, "the token names no issuer (iss)");
        }
        TrustedIssuer issuer = trustedIssuers.get(issuerName);
        if (issuer == null) {
            return invalid(Check.ISSUER, "the issuer '" + quote(issuerName) + "' is not trusted by organization '"
                    + orgHandle + "'");
        }

        if (!(jwt instanceof SignedJWT signed)) {
            return invalid(Check.SIGNATURE, "unsigned tokens (alg none) are not accepted");
        }
        JWSHeader header = signed.getHeader();
        JWSAlgorithm alg = header.getAlgorithm();
        if (!allowedAlgorithms.contains(alg)) {
            return invalid(Check.SIGNATURE, "the algorithm " + quote(alg.getName()) + " is not accepted");
        }
        Set<String> critical = header.getCriticalParams();
        if (critical != null && !critical.isEmpty()) {
            return invalid(Check.SIGNATURE, "the critical header parameters " + quote(new TreeSet<>(critical)
                    .toString()) + " are not understood");
        }

        JWKSelector selector = new JWKSelector(matcherFor(header));
        return keySets.keys(issuer.jwksUri())
                .compose(keys -> {
                    List<JWK> candidates = selector.select(keys);
                    if (!candidates.isEmpty()) {
                        return Future.succeededFuture(new Candidates(keys, candidates));
                    }
                    return keySets.refreshed(issuer.jwksUri())
                            .map(refreshed -> new Candidates(refreshed, selector.select(refreshed)));
                })
                .transform(keys -> {
                    if (keys.failed()) {
                        return invalid(Check.SIGNATURE, "the keys of issuer '" + quote(issuerName)
                                + "' cannot be fetched");
                    }
                    TokenCheck check = checkSignatureAndClaims(signed, claims, issuer, keys.result().matching());
                    if (check instanceof TokenCheck.Valid valid) {
                        remember(digest, valid, keys.result().keySet());
                    }
                    return Future.succeededFuture(check);
                });
    }

    /**
     * An opaque token: its claims come from the identity provider, then meet the same issuer and claim checks as a
     * JWT's. Its verdict is cached for at most {@link #OPAQUE_VERDICT_LIFETIME}, so that a resolver that stops
     * knowing a token (it was deleted) is heard soon; revocation needs no wait, it is checked on every call.
     */
    private Future<TokenCheck> verifyOpaque(String token, TokenDigest digest, String orgHandle,
                                            Map<String, TrustedIssuer> trustedIssuers) {
        if (unknownOpaque.getIfPresent(digest) != null) {
            return invalid(Check.CREDENTIAL, UNKNOWN_OPAQUE);
        }
        return opaqueTokens.resolve(token).transform(resolved -> {
            if (resolved.failed()) {
                return Future.succeededFuture(new TokenCheck.Unknowable(
                        "the identity provider cannot be asked about the opaque token now; try again shortly"));
            }
            if (resolved.result().isEmpty()) {
                unknownOpaque.put(digest, Boolean.TRUE);
                return invalid(Check.CREDENTIAL, UNKNOWN_OPAQUE);
            }
            JWTClaimsSet claims = resolved.result().get();
            TrustedIssuer issuer = claims.getIssuer() == null ? null : trustedIssuers.get(claims.getIssuer());
            if (issuer == null) {
                return invalid(Check.ISSUER, "the opaque token's issuer is not trusted by organization '"
                        + orgHandle + "'");
            }
            TokenCheck check = checkClaims(claims, issuer);
            if (check instanceof TokenCheck.Valid valid) {
                long until = Math.min(claims.getExpirationTime().toInstant().plus(clockSkew).toEpochMilli(),
                        clock.millis() + OPAQUE_VERDICT_LIFETIME.toMillis());
                verified.put(digest, new Verified(valid, null, until));
            }
            return Future.succeededFuture(check);
        });
    }

    /** Whether {@code token} is an RFC 6750 b64token: letters, digits and {@code -._~+/}, then optional '='. */
    private static boolean isB64Token(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            if (c >= B64TOKEN_CHARS.length || !B64TOKEN_CHARS[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean[] b64tokenChars() {
        boolean[] allowed = new boolean[128];
        for (char c = 'a'; c <= 'z'; c++) {
            allowed[c] = true;
            allowed[Character.toUpperCase(c)] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            allowed[c] = true;
        }
        for (char c : "-._~+/".toCharArray()) {
            allowed[c] = true;
        }
        return allowed;
    }

    /**
     * Whether a cached verdict is still the one a fresh verification would reach: same trusted issuer in the
     * current snapshot, same key set at the source.
     */
    private boolean stillHolds(Verified known, Map<String, TrustedIssuer> trustedIssuers) {
        TrustedIssuer issuer = known.valid().issuer();
        if (!issuer.equals(trustedIssuers.get(issuer.issuer()))) {
            return false;
        }
        if (known.keySet() == null) {
            return true;
        }
        Future<JWKSet> current = keySets.keys(issuer.jwksUri());
        return current.succeeded() && current.result() == known.keySet();
    }

    /** Caches a verdict; {@link #checkClaims} made sure the token has an {@code exp}. */
    private void remember(TokenDigest digest, TokenCheck.Valid valid, JWKSet keySet) {
        Instant expiration = valid.claims().getExpirationTime().toInstant();
        verified.put(digest, new Verified(valid, keySet, expiration.plus(clockSkew).toEpochMilli()));
    }

    private TokenCheck checkSignatureAndClaims(SignedJWT jwt, JWTClaimsSet claims, TrustedIssuer issuer,
                                               List<JWK> candidates) {
        JWSHeader header = jwt.getHeader();
        if (candidates.isEmpty()) {
            String kid = header.getKeyID();
            return new TokenCheck.Invalid(Check.SIGNATURE, "the keys of issuer '" + quote(issuer.issuer())
                    + "' include no " + header.getAlgorithm().getName() + " key"
                    + (kid == null ? "" : " with kid '" + quote(kid) + "'"));
        }
        if (!verifiesWithAny(jwt, candidates)) {
            return new TokenCheck.Invalid(Check.SIGNATURE, "the signature does not verify");
        }
        return checkClaims(claims, issuer);
    }

    private TokenCheck checkClaims(JWTClaimsSet claims, TrustedIssuer issuer) {
        Instant now = clock.instant();
        Date expiration;
        Date notBefore;
        List<String> audience;
        try {
            expiration = claims.getDateClaim("exp");
            notBefore = claims.getDateClaim("nbf");
            audience = claims.getAudience();
        } catch (ParseException e) {
            return new TokenCheck.Invalid(Check.CLAIMS, "the token's exp, nbf or aud claim is malformed");
        }
        if (expiration == null) {
            return new TokenCheck.Invalid(Check.CLAIMS, "the token has no expiry (exp)");
        }
        if (!now.isBefore(expiration.toInstant().plus(clockSkew))) {
            return new TokenCheck.Invalid(Check.CLAIMS, "the token expired at " + expiration.toInstant());
        }
        if (notBefore != null && now.plus(clockSkew).isBefore(notBefore.toInstant())) {
            return new TokenCheck.Invalid(Check.CLAIMS, "the token is not valid before " + notBefore.toInstant());
        }
        if (issuer.audience() != null && !audience.contains(issuer.audience())) {
            return new TokenCheck.Invalid(Check.CLAIMS, "the token's audience does not include '"
                    + issuer.audience() + "'");
        }
        return TokenCheck.Valid.of(issuer, claims);
    }

    private static boolean verifiesWithAny(SignedJWT jwt, List<JWK> candidates) {
        for (JWK key : candidates) {
            try {
                JWSVerifier verifier = switch (key) {
                    case RSAKey rsa -> new RSASSAVerifier(rsa.toRSAPublicKey(), Set.of());
                    case ECKey ec -> new ECDSAVerifier(ec.toECPublicKey(), Set.of());
                    default -> null;
                };
                if (verifier != null && jwt.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // this key cannot verify this token; try the next one
            }
        }
        return false;
    }

    /**
     * The keys that may verify a token with this header: the header's {@code alg} fixes the key type (and, for
     * EC, the curves); its {@code kid}, when present, must match. Nothing else from the header is used.
     */
    private static JWKMatcher matcherFor(JWSHeader header) {
        JWSAlgorithm alg = header.getAlgorithm();
        JWKMatcher.Builder matcher = new JWKMatcher.Builder()
                .keyID(header.getKeyID())
                .keyUses(KeyUse.SIGNATURE, null)
                .keyOperations(KeyOperation.VERIFY, null)
                .algorithms(alg, null)
                .publicOnly(true);
        if (JWSAlgorithm.Family.EC.contains(alg)) {
            matcher.keyType(KeyType.EC).curves(Set.copyOf(Curve.forJWSAlgorithm(alg)));
        } else {
            matcher.keyType(KeyType.RSA).minKeySize(MIN_RSA_KEY_BITS);
        }
        return matcher.build();
    }

    /** The keys a token may be verified with, and the key set they were selected from. */
    private record Candidates(JWKSet keySet, List<JWK> matching) {
    }

    /**
     * A valid token's verdict, the key set it was verified with (null for an opaque token, which was resolved, not
     * verified), and when the verdict stops being valid.
     */
    private record Verified(TokenCheck.Valid valid, JWKSet keySet, long expiresAtMillis) {
    }

    /** The SHA-256 digest of a token: what the verdict cache is keyed by, so tokens are not kept in memory. */
    private record TokenDigest(long first, long second, long third, long fourth) {

        private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
        });
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.BIG_ENDIAN);

        static TokenDigest of(String token) {
            byte[] digest = SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8));
            return new TokenDigest((long) LONGS.get(digest, 0), (long) LONGS.get(digest, 8),
                    (long) LONGS.get(digest, 16), (long) LONGS.get(digest, 24));
        }
    }

    private static Future<TokenCheck> invalid(Check check, String detail) {
        return Future.succeededFuture(new TokenCheck.Invalid(check, detail));
    }

    /** A value taken from the token, shortened so a hostile token cannot blow up the refusal. */
    private static String quote(String value) {
        return value.length() <= MAX_DETAIL_VALUE_LENGTH ? value : value.substring(0, MAX_DETAIL_VALUE_LENGTH) + "...";
    }
}
