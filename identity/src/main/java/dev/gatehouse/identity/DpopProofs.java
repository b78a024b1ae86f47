package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProofUse;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPTokenRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.oauth2.sdk.util.singleuse.AlreadyUsedException;
import com.nimbusds.oauth2.sdk.util.singleuse.SingleUseChecker;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks DPoP proofs (RFC 9449) sent to the identity provider: at the token endpoint, where a valid proof binds the
 * access token to the proof's key, and at the userinfo endpoint, where a DPoP-bound token must come with a proof
 * of that key.
 *
 * <p>A proof passes only if it is a compact JWS of type {@code dpop+jwt}, signed with {@link #ALGORITHMS} (never
 * {@code none} or HMAC) by the public key embedded as its {@code jwk} header (a private key there is refused), its
 * {@code htm} and {@code htu} are the request's method and URL (without query and fragment, compared as strings),
 * its {@code iat} is at most {@link #MAX_AGE} old and at most {@link #MAX_CLOCK_SKEW} ahead, and its {@code jti}
 * has not been seen in that window for the same client (token endpoint) or key (userinfo); at a resource, its
 * {@code ath} is the token's SHA-256 and its key's thumbprint the token's {@code cnf.jkt}. The checks are the Nimbus
 * SDK's {@link DPoPTokenRequestVerifier} and {@link DPoPProtectedResourceRequestVerifier}; this class adds the
 * replay cache and turns their exceptions into one refusal.
 *
 * <p>Nimbus reads {@code iat} against the system clock, not the injected one; the replay cache expires entries on
 * the injected clock, which is the system clock outside tests. The cache is bounded ({@link #MAX_REMEMBERED_PROOFS}
 * per process): only proofs whose signature verified enter it; at the token endpoint a public client is known by its
 * client ID alone, so anyone can sign proofs with keys of their own and crowd a {@code jti} out early, which takes
 * that many proofs within a minute (a limit on token requests per address would bound it). Several replicas each
 * keep their own cache, so a proof replayed to another replica within the window is not caught; RFC 9449 section
 * 11.1 accepts that, and the short window bounds it.
 *
 * <p>What it costs: one JWS parse, one signature check and two SHA-256 computations per proof.
 */
final class DpopProofs {

    /** The proof algorithms accepted, in the order metadata lists them. */
    static final Set<JWSAlgorithm> ALGORITHMS =
            new LinkedHashSet<>(List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256));
    static final Duration MAX_AGE = Duration.ofSeconds(60);
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(5);
    static final int MAX_REMEMBERED_PROOFS = 100_000;
    /** The request header that carries a proof. */
    static final String HEADER = "DPoP";

    private final SingleUseChecker<DPoPProofUse> singleUse;
    private final DPoPProtectedResourceRequestVerifier resourceVerifier;

    DpopProofs(Clock clock) {
        long origin = clock.millis();
        Cache<String, Boolean> seen = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED_PROOFS)
                .expireAfterWrite(MAX_AGE.plus(MAX_CLOCK_SKEW))
                .ticker(() -> (clock.millis() - origin) * 1_000_000L)
                .build();
        this.singleUse = use -> {
            if (seen.asMap().putIfAbsent(use.getIssuer().getValue() + " " + use.getJWTID().getValue(),
                    Boolean.TRUE) != null) {
                throw new AlreadyUsedException("the jti was used before");
            }
        };
        this.resourceVerifier = new DPoPProtectedResourceRequestVerifier(ALGORITHMS, MAX_CLOCK_SKEW.toSeconds(),
                MAX_AGE.toSeconds(), singleUse);
    }

    /**
     * Checks the proof of a token request of {@code clientId} to {@code tokenEndpoint}.
     *
     * @return the confirmation (the proof key's thumbprint) the access token is to carry
     * @throws TokenRefusal {@code invalid_dpop_proof} when the proof fails any check
     */
    JWKThumbprintConfirmation tokenRequest(URI tokenEndpoint, String clientId, List<String> proofs) {
        SignedJWT proof = parse(proofs);
        try {
            return new DPoPTokenRequestVerifier(ALGORITHMS, tokenEndpoint, MAX_CLOCK_SKEW.toSeconds(),
                    MAX_AGE.toSeconds(), singleUse).verify(new DPoPIssuer(clientId), proof);
        } catch (InvalidDPoPProofException e) {
            throw TokenRefusal.invalidDpopProof(reason(e));
        } catch (JOSEException e) {
            throw TokenRefusal.invalidDpopProof("the proof's key cannot be used");
        }
    }

    /**
     * Checks the proof of a request to a protected resource of the provider (userinfo) with a DPoP-bound token.
     *
     * @return null when the proof holds, else why not (for the caller's {@code invalid_dpop_proof})
     */
    String resourceRequest(String method, URI uri, List<String> proofs, String token, String jkt) {
        try {
            SignedJWT proof = parse(proofs);
            resourceVerifier.verify(method, uri, new DPoPIssuer(jkt), proof, new DPoPAccessToken(token),
                    new JWKThumbprintConfirmation(new Base64URL(jkt)));
            return null;
        } catch (TokenRefusal refusal) {
            return refusal.description();
        } catch (InvalidDPoPProofException | AccessTokenValidationException e) {
            return reason(e);
        } catch (JOSEException e) {
            return "the proof's key cannot be used";
        }
    }

    /** The {@code cnf.jkt} of a token's claims, or null when it has none. */
    static String jkt(Map<String, Object> cnf) {
        return cnf != null && cnf.get("jkt") instanceof String jkt && !jkt.isEmpty() ? jkt : null;
    }

    /** Nimbus's message, in the characters an RFC 6750 error_description may hold. */
    private static String reason(Exception e) {
        String message = e.getMessage() == null ? "the DPoP proof is not valid" : e.getMessage();
        return message.replaceAll("[^\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]", "'");
    }

    private static SignedJWT parse(List<String> proofs) {
        if (proofs == null || proofs.isEmpty()) {
            throw TokenRefusal.invalidDpopProof("no DPoP proof");
        }
        if (proofs.size() > 1) {
            throw TokenRefusal.invalidDpopProof("more than one DPoP header");
        }
        SignedJWT proof;
        try {
            proof = SignedJWT.parse(proofs.getFirst());
        } catch (ParseException e) {
            throw TokenRefusal.invalidDpopProof("the proof is not a signed JWT: " + reason(e));
        }
        if (!ALGORITHMS.contains(proof.getHeader().getAlgorithm())) {
            throw TokenRefusal.invalidDpopProof("the proof's algorithm " + proof.getHeader().getAlgorithm()
                    + " is not accepted");
        }
        JWK jwk = proof.getHeader().getJWK();
        if (jwk == null || jwk.isPrivate()) {
            throw TokenRefusal.invalidDpopProof("the proof must carry its public key, and only that, as jwk");
        }
        return proof;
    }
}
