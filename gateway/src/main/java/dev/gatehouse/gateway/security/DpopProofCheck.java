package dev.gatehouse.gateway.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation;
import com.nimbusds.oauth2.sdk.dpop.verifiers.AccessTokenValidationException;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPIssuer;
import com.nimbusds.oauth2.sdk.dpop.verifiers.DPoPProtectedResourceRequestVerifier;
import com.nimbusds.oauth2.sdk.dpop.verifiers.InvalidDPoPProofException;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import io.vertx.core.Future;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks the DPoP proof (RFC 9449 section 7) of a call that presents a DPoP-bound access token, one whose
 * {@code cnf.jkt} names a key. Proofs are per request, so this runs on every such call, after the token itself was
 * verified (or found in the verified-token cache): nothing about a proof is cached but its {@code jti}.
 *
 * <p><b>What it guarantees.</b> The call passes only with exactly one {@code DPoP} header holding a compact JWS of
 * type {@code dpop+jwt}, signed with {@link #ALGORITHMS} (never {@code none} or HMAC) by the public key in its
 * {@code jwk} header (a private key there is refused), whose RFC 7638 SHA-256 thumbprint is the token's
 * {@code cnf.jkt}; {@code htm} is the call's method and {@code htu} the URL the caller used (compared as strings,
 * without query and fragment); {@code ath} is the base64url SHA-256 of the token; {@code iat} is at most
 * {@link #MAX_AGE} old and at most {@link #MAX_CLOCK_SKEW} ahead; and its {@code jti} has not been seen with the
 * same key within that window ({@link ProofReplays}: this gateway's memory, or with Redis every gateway's of the
 * environment). The checks are the Nimbus SDK's {@link DPoPProtectedResourceRequestVerifier}; this class adds the
 * replay memory and the refusal reasons.
 *
 * <p><b>What it costs.</b> One JWS parse, one signature check (an EC P-256 or RSA verification) and three SHA-256
 * computations per call with a bound token, and with Redis one {@code SET NX} round trip; calls with unbound tokens
 * never get here. A proof's {@code jti} is recorded only once its key is the one its (valid) token is bound to and
 * its signature and claims hold, so the memory holds only proofs made with the keys of valid bound tokens. Nimbus
 * reads {@code iat} against the system clock.
 */
public final class DpopProofCheck {

    /** The proof algorithms accepted, as the {@code algs} of a DPoP challenge lists them. */
    public static final Set<JWSAlgorithm> ALGORITHMS =
            new LinkedHashSet<>(List.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256));
    public static final Duration MAX_AGE = Duration.ofSeconds(60);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(5);
    /** The header that carries a proof. */
    public static final String HEADER = "DPoP";
    /** How long a used proof is remembered: as long as it could be presented. */
    static final Duration REPLAY_WINDOW = MAX_AGE.plus(MAX_CLOCK_SKEW);

    private final DPoPProtectedResourceRequestVerifier verifier = new DPoPProtectedResourceRequestVerifier(ALGORITHMS,
            MAX_CLOCK_SKEW.toSeconds(), MAX_AGE.toSeconds(), null);
    private final ProofReplays replays;

    public DpopProofCheck(ProofReplays replays) {
        this.replays = Objects.requireNonNull(replays, "replays");
    }

    /**
     * Checks the proofs a call carries for its DPoP-bound token.
     *
     * @param method the call's method
     * @param htu    the URL the caller used, without query: {@code scheme://host[:port]/path}
     * @param proofs the values of the call's {@code DPoP} headers
     * @param token  the access token, as the Authorization header carries it
     * @param jkt    the token's {@code cnf.jkt}
     * @return null when the proof holds, else what is wrong with it, for the caller; on the caller's event loop
     */
    public Future<String> check(String method, String htu, List<String> proofs, String token, String jkt) {
        SignedJWT proof;
        try {
            proof = proofs.size() == 1 ? SignedJWT.parse(proofs.getFirst()) : null;
        } catch (ParseException e) {
            proof = null;
        }
        String failed = verify(method, htu, proofs, proof, token, jkt);
        if (failed != null) {
            return Future.succeededFuture(failed);
        }
        String jti;
        try {
            jti = proof.getJWTClaimsSet().getJWTID();
        } catch (ParseException e) {
            jti = null;
        }
        if (jti == null || jti.isEmpty()) {
            return Future.succeededFuture("the DPoP proof carries no jti");
        }
        return replays.firstUse(jkt + " " + jti)
                .map(first -> first ? null : "the DPoP proof was used before (its jti is replayed)");
    }

    /** The checks of the proof itself, all but replay: null when they hold, else what fails. */
    private String verify(String method, String htu, List<String> proofs, SignedJWT proof, String token, String jkt) {
        if (proofs.isEmpty()) {
            return "the token is DPoP-bound and the request carries no DPoP proof";
        }
        if (proofs.size() > 1) {
            return "the request carries more than one DPoP proof";
        }
        if (proof == null) {
            return "the DPoP proof is not a signed JWT";
        }
        if (!ALGORITHMS.contains(proof.getHeader().getAlgorithm())) {
            return "the DPoP proof's algorithm " + proof.getHeader().getAlgorithm() + " is not accepted";
        }
        JWK jwk = proof.getHeader().getJWK();
        if (jwk == null || jwk.isPrivate()) {
            return "the DPoP proof must carry its public key, and only that, as jwk";
        }
        try {
            if (!jwk.computeThumbprint().toString().equals(jkt)) {
                return "the DPoP proof is signed with another key than the one the token is bound to";
            }
        } catch (JOSEException e) {
            return "the DPoP proof's key cannot be used";
        }
        URI uri;
        try {
            uri = new URI(htu);
        } catch (URISyntaxException e) {
            return "the request URL cannot be compared with the DPoP proof's htu";
        }
        try {
            verifier.verify(method, uri, new DPoPIssuer(jkt), proof, new DPoPAccessToken(token),
                    new JWKThumbprintConfirmation(new Base64URL(jkt)));
            return null;
        } catch (InvalidDPoPProofException e) {
            return reason(e.getMessage());
        } catch (AccessTokenValidationException e) {
            return e.getMessage().contains("ath") ? "the DPoP proof's ath is not the hash of the access token"
                    : "the DPoP proof is signed with another key than the one the token is bound to";
        } catch (JOSEException e) {
            return "the DPoP proof's key cannot be used";
        }
    }

    /** Nimbus's message for a proof that fails a claim or signature check, named by what failed. */
    private static String reason(String message) {
        if (message == null) {
            return "the DPoP proof is not valid";
        }
        if (message.contains("htm")) {
            return "the DPoP proof's htm is not the request's method";
        }
        if (message.contains("htu")) {
            return "the DPoP proof's htu is not the request's URL";
        }
        if (message.contains("iat")) {
            return "the DPoP proof's iat is not within " + MAX_AGE.toSeconds() + " s of now";
        }
        if (message.contains("ath")) {
            return "the DPoP proof carries no valid ath";
        }
        if (message.contains("Signed JWT rejected") || message.contains("signature")) {
            return "the DPoP proof's signature does not verify";
        }
        return "the DPoP proof is not valid";
    }

    /** The {@code cnf.jkt} of a token's claims, or null when it names none. */
    public static String jkt(Object cnf) {
        return cnf instanceof java.util.Map<?, ?> map && map.get("jkt") instanceof String jkt && !jkt.isEmpty()
                ? jkt : null;
    }
}
