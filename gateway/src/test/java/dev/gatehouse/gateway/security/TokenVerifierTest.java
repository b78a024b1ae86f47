package dev.gatehouse.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.opts.AllowWeakRSAKey;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import dev.gatehouse.model.testing.TestClock;
import io.vertx.core.Future;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The token checks, without sockets: keys come from an in-memory source that counts refresh requests. */
class TokenVerifierTest {

    private static final String ISSUER = "https://idp.acme.test";
    private static final String JWKS_URI = "https://idp.acme.test/jwks";
    private static final RSAKey KEY = Tokens.rsaKey("key-1");
    private static final ECKey EC_KEY = Tokens.ecKey("ec-1");

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final InMemoryKeys keys = new InMemoryKeys(new JWKSet(List.<JWK>of(KEY, EC_KEY)).toPublicJWKSet());
    private final TrustedIssuer issuer = new TrustedIssuer("acme-idp", "acme", ISSUER, JWKS_URI,
            ClaimMapping.DEFAULT, null);
    private final TokenVerifier verifier = new TokenVerifier(keys, clock, TokenVerifier.SUPPORTED_ALGORITHMS,
            Duration.ofSeconds(30));

    /** A key source with a fixed set; {@code refreshed} hands out the set in {@link #next}. */
    private static final class InMemoryKeys implements KeySetSource {
        final AtomicReference<JWKSet> current;
        final AtomicReference<JWKSet> next = new AtomicReference<>();
        final AtomicInteger refreshes = new AtomicInteger();

        InMemoryKeys(JWKSet keys) {
            current = new AtomicReference<>(keys);
        }

        @Override
        public Future<JWKSet> keys(String jwksUri) {
            return Future.succeededFuture(current.get());
        }

        @Override
        public Future<JWKSet> refreshed(String jwksUri) {
            refreshes.incrementAndGet();
            if (next.get() != null) {
                current.set(next.get());
            }
            return Future.succeededFuture(current.get());
        }
    }

    private TokenCheck verify(String token) {
        return verify(token, issuer);
    }

    private TokenCheck verify(String token, TrustedIssuer trusted) {
        Future<TokenCheck> check = verifier.verify(token, "acme", Map.of(trusted.issuer(), trusted));
        assertThat(check.isComplete()).isTrue();
        return check.result();
    }

    private JWTClaimsSet.Builder claims() {
        return Tokens.claims(clock, ISSUER, "client-1", "urn:acme:orders:read");
    }

    @Test
    void rs256TokenOfATrustedIssuer_isValid() {
        TokenCheck check = verify(Tokens.sign(KEY, claims().build()));

        assertThat(check).isInstanceOfSatisfying(TokenCheck.Valid.class, valid -> {
            assertThat(valid.issuer()).isEqualTo(issuer);
            assertThat(valid.claims().getClaim("azp")).isEqualTo("client-1");
        });
        assertThat(keys.refreshes).hasValue(0);
    }

    @Test
    void es256TokenOfATrustedIssuer_isValid() {
        assertThat(verify(Tokens.sign(EC_KEY, claims().build()))).isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void tokenWithoutKid_isVerifiedWithTheMatchingKeys() {
        String token = Tokens.sign(KEY, claims().build(), header -> header.keyID(null));

        assertThat(verify(token)).isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void garbage_isNotAWellFormedJwt() {
        assertThat(verify("abc.def.ghi"))
                .isEqualTo(new TokenCheck.Invalid(Check.CREDENTIAL, "the bearer token is not a well-formed JWT"));
    }

    @Test
    void tokenWithoutIssuer_isRefused() {
        String token = Tokens.sign(KEY, claims().issuer(null).build());

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.ISSUER, "the token names no issuer (iss)"));
    }

    @Test
    void tokenOfAnIssuerTheOrganizationDoesNotTrust_isRefused_withoutTouchingKeys() {
        String token = Tokens.sign(KEY, claims().issuer("https://evil.test").build());

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.ISSUER,
                "the issuer 'https://evil.test' is not trusted by organization 'acme'"));
        assertThat(keys.refreshes).hasValue(0);
    }

    @Test
    void unsignedToken_isRefused() {
        String token = new PlainJWT(claims().build()).serialize();

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "unsigned tokens (alg none) are not accepted"));
    }

    @Test
    void hs256TokenKeyedWithTheRsaPublicKey_isRefused() throws JOSEException {
        MACSigner signer = new MACSigner(KEY.toRSAPublicKey().getEncoded());
        String token = Tokens.sign(signer, new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("key-1").build(),
                claims().build());

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "the algorithm HS256 is not accepted"));
    }

    @Test
    void algorithmOutsideTheConfiguredAllowList_isRefused() {
        TokenVerifier esOnly = new TokenVerifier(keys, clock, Set.of(JWSAlgorithm.ES256), Duration.ZERO);

        TokenCheck check = esOnly.verify(Tokens.sign(KEY, claims().build()), "acme", Map.of(ISSUER, issuer)).result();

        assertThat(check).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE, "the algorithm RS256 is not accepted"));
    }

    @Test
    void criticalHeaderParameter_isRefused() {
        String token = Tokens.sign(KEY, claims().build(),
                header -> header.customParam("exp-hint", 1).criticalParams(Set.of("exp-hint")));

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "the critical header parameters [exp-hint] are not understood"));
    }

    @Test
    void tokenSignedByAnotherKeyUnderAKnownKid_failsTheSignatureCheck() {
        RSAKey impostor = Tokens.rsaKey("key-1");

        assertThat(verify(Tokens.sign(impostor, claims().build())))
                .isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE, "the signature does not verify"));
        assertThat(keys.refreshes).hasValue(0);
    }

    @Test
    void embeddedJwkAndJkuHeaders_areIgnored() throws Exception {
        RSAKey attacker = Tokens.rsaKey("attacker");
        String token = Tokens.sign(attacker, claims().build(), header -> header
                .jwk(attacker.toPublicJWK())
                .jwkURL(URI.create("https://evil.test/jwks"))
                .x509CertURL(URI.create("https://evil.test/cert")));

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "the keys of issuer 'https://idp.acme.test' include no RS256 key with kid 'attacker'"));
    }

    @Test
    void unknownKid_asksForOneRefresh_andVerifiesWithTheRotatedKey() {
        RSAKey rotated = Tokens.rsaKey("key-2");
        keys.next.set(new JWKSet(rotated.toPublicJWK()));

        assertThat(verify(Tokens.sign(rotated, claims().build()))).isInstanceOf(TokenCheck.Valid.class);
        assertThat(keys.refreshes).hasValue(1);
    }

    @Test
    void kidOfAnEcKeyOnAnRsaToken_findsNoKey() {
        String token = Tokens.sign(KEY, claims().build(), header -> header.keyID("ec-1"));

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "the keys of issuer 'https://idp.acme.test' include no RS256 key with kid 'ec-1'"));
    }

    @Test
    void rsaKeysShorterThan2048Bits_areNotUsed() throws JOSEException {
        RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
        keys.current.set(new JWKSet(weak.toPublicJWK()));

        RSASSASigner weakSigner = new RSASSASigner(weak.toPrivateKey(), Set.of(AllowWeakRSAKey.getInstance()));
        String token = Tokens.sign(weakSigner, new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak").build(),
                claims().build());

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "the keys of issuer 'https://idp.acme.test' include no RS256 key with kid 'weak'"));
    }

    @Test
    void keysThatCannotBeFetched_refuseTheToken() {
        KeySetSource unavailable = new KeySetSource() {
            @Override
            public Future<JWKSet> keys(String jwksUri) {
                return Future.failedFuture(new JwksFetchException("HTTP status 503"));
            }

            @Override
            public Future<JWKSet> refreshed(String jwksUri) {
                return keys(jwksUri);
            }
        };
        TokenVerifier offline = new TokenVerifier(unavailable, clock, TokenVerifier.SUPPORTED_ALGORITHMS,
                Duration.ZERO);

        TokenCheck check = offline.verify(Tokens.sign(KEY, claims().build()), "acme", Map.of(ISSUER, issuer))
                .result();

        assertThat(check).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "the keys of issuer 'https://idp.acme.test' cannot be fetched"));
    }

    @Test
    void tokenWithoutExp_isRefused() {
        String token = Tokens.sign(KEY, claims().expirationTime(null).build());

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.CLAIMS, "the token has no expiry (exp)"));
    }

    @Test
    void expiredToken_isRefused_onceTheClockSkewHasPassed() {
        Instant exp = Instant.parse("2026-03-01T10:05:00Z");
        String token = Tokens.sign(KEY, claims().expirationTime(Date.from(exp)).build());

        clock.advance(Duration.ofMinutes(5).plusSeconds(29));
        assertThat(verify(token)).isInstanceOf(TokenCheck.Valid.class);

        clock.advance(Duration.ofSeconds(1));
        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.CLAIMS,
                "the token expired at 2026-03-01T10:05:00Z"));
    }

    @Test
    void tokenNotYetValid_isRefused_beyondTheClockSkew() {
        String early = Tokens.sign(KEY, claims().notBeforeTime(Date.from(clock.instant().plusSeconds(31))).build());
        String withinSkew = Tokens.sign(KEY, claims().notBeforeTime(Date.from(clock.instant().plusSeconds(30)))
                .build());

        assertThat(verify(early)).isEqualTo(new TokenCheck.Invalid(Check.CLAIMS,
                "the token is not valid before 2026-03-01T10:00:31Z"));
        assertThat(verify(withinSkew)).isInstanceOf(TokenCheck.Valid.class);
    }

    @Test
    void audience_isChecked_whenTheIssuerIsRegisteredWithOne() {
        TrustedIssuer withAudience = new TrustedIssuer("acme-idp", "acme", ISSUER, JWKS_URI, ClaimMapping.DEFAULT,
                "https://api.acme.test");

        assertThat(verify(Tokens.sign(KEY, claims().audience(List.of("other", "https://api.acme.test")).build()),
                withAudience)).isInstanceOf(TokenCheck.Valid.class);
        assertThat(verify(Tokens.sign(KEY, claims().audience("other").build()), withAudience))
                .isEqualTo(new TokenCheck.Invalid(Check.CLAIMS,
                        "the token's audience does not include 'https://api.acme.test'"));
        assertThat(verify(Tokens.sign(KEY, claims().build()), withAudience))
                .isEqualTo(new TokenCheck.Invalid(Check.CLAIMS,
                        "the token's audience does not include 'https://api.acme.test'"));
    }

    // --- the cache of verified tokens ----------------------------------------------------------------------------

    @Test
    void validToken_seenAgain_isAnsweredFromTheCache() {
        String token = Tokens.sign(KEY, claims().build());

        TokenCheck first = verify(token);

        assertThat(first).isInstanceOf(TokenCheck.Valid.class);
        assertThat(verify(token)).isSameAs(first);
    }

    @Test
    void validToken_carriesItsClientIdAndScopes_asTheIssuersClaimMappingSays() {
        TrustedIssuer scp = new TrustedIssuer("acme-idp", "acme", ISSUER, JWKS_URI,
                new ClaimMapping(List.of("cid", "azp"), "scp"), null);
        String token = Tokens.sign(KEY, claims().claim("cid", "").claim("scp", List.of("a", 7, "b")).build());

        assertThat(verify(token, scp)).isInstanceOfSatisfying(TokenCheck.Valid.class, valid -> {
            assertThat(valid.clientId()).isEqualTo("client-1");
            assertThat(valid.grantedScopes()).containsExactlyInAnyOrder("a", "b");
        });
    }

    @Test
    void cachedToken_isRefused_theMomentItExpires() {
        Instant exp = clock.instant().plusSeconds(60);
        String token = Tokens.sign(KEY, claims().expirationTime(Date.from(exp)).build());
        assertThat(verify(token)).isInstanceOf(TokenCheck.Valid.class);

        clock.advance(Duration.ofSeconds(60 + 30));

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.CLAIMS, "the token expired at " + exp));
    }

    @Test
    void cachedToken_isRefused_onceTheIssuerWithdrawsItsKey() {
        String token = Tokens.sign(KEY, claims().build());
        assertThat(verify(token)).isInstanceOf(TokenCheck.Valid.class);

        keys.current.set(new JWKSet(EC_KEY.toPublicJWK()));

        assertThat(verify(token)).isEqualTo(new TokenCheck.Invalid(Check.SIGNATURE,
                "the keys of issuer 'https://idp.acme.test' include no RS256 key with kid 'key-1'"));
    }

    @Test
    void cachedToken_isVerifiedAgain_whenTheIssuersRegistrationChanges() {
        String token = Tokens.sign(KEY, claims().build());
        assertThat(verify(token)).isInstanceOf(TokenCheck.Valid.class);
        TrustedIssuer nowWithAudience = new TrustedIssuer("acme-idp", "acme", ISSUER, JWKS_URI,
                ClaimMapping.DEFAULT, "https://api.acme.test");

        assertThat(verify(token, nowWithAudience)).isEqualTo(new TokenCheck.Invalid(Check.CLAIMS,
                "the token's audience does not include 'https://api.acme.test'"));
    }

    @Test
    void cachedToken_isStillAccepted_byAnEqualRegistrationOfANewSnapshot() {
        String token = Tokens.sign(KEY, claims().build());
        TokenCheck first = verify(token);

        TrustedIssuer sameAgain = new TrustedIssuer("acme-idp", "acme", ISSUER, JWKS_URI, ClaimMapping.DEFAULT, null);

        assertThat(verify(token, sameAgain)).isSameAs(first);
    }

    @Test
    void cachedVerdict_isNeverUsedForAnotherOrganization() {
        String token = Tokens.sign(KEY, claims().build());
        assertThat(verify(token)).isInstanceOf(TokenCheck.Valid.class);

        TokenCheck forGlobex = verifier.verify(token, "globex", Map.of()).result();

        assertThat(forGlobex).isEqualTo(new TokenCheck.Invalid(Check.ISSUER,
                "the issuer 'https://idp.acme.test' is not trusted by organization 'globex'"));
    }

    @Test
    void refusals_areNotCached() {
        String early = Tokens.sign(KEY, claims().notBeforeTime(Date.from(clock.instant().plusSeconds(60))).build());
        assertThat(verify(early)).isInstanceOf(TokenCheck.Invalid.class);

        clock.advance(Duration.ofSeconds(60));

        assertThat(verify(early)).isInstanceOf(TokenCheck.Valid.class);
    }
}
