package dev.gatehouse.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.gatehouse.model.identity.OpaqueAccessTokens;
import dev.gatehouse.model.Scopes;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks access tokens that this server's built-in identity provider issued, for any organization, with that
 * organization's published keys from the store (never from the token's headers nor over HTTP): type
 * {@code at+jwt}, the algorithm the key was made for (RS256, PS256 or ES256) only, signature, the exact issuer, {@code exp} and {@code nbf} by the injected clock with
 * {@link #MAX_CLOCK_SKEW_SECONDS} of tolerance, and the presence of {@code sub}, {@code client_id}, {@code iat}
 * and {@code jti}. Opaque tokens ({@link OpaqueTokenStore}) are resolved to their stored claims, which must pass the
 * same claim checks. The audience is left to the caller. The issuer is read before the signature is checked only to
 * choose whose keys to check it with.
 */
final class AccessTokenVerifier {

    static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");
    static final int MAX_CLOCK_SKEW_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(AccessTokenVerifier.class);
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Set<String> REQUIRED_CLAIMS = Set.of("iss", "sub", "client_id", "exp", "iat", "jti");
    private static final String ISSUER_SUFFIX = "/oauth2/token";

    private final String issuerPrefix;
    private final SigningKeys keys;
    private final OpaqueTokenStore opaqueTokens;
    private final Clock clock;

    AccessTokenVerifier(String publicBaseUrl, SigningKeys keys, OpaqueTokenStore opaqueTokens, Clock clock) {
        this.issuerPrefix = publicBaseUrl + "/t/";
        this.keys = keys;
        this.opaqueTokens = opaqueTokens;
        this.clock = clock;
    }

    Optional<VerifiedToken> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        if (OpaqueAccessTokens.looksOpaque(token)) {
            return opaque(token);
        }
        SignedJWT jwt;
        String issuer;
        try {
            jwt = SignedJWT.parse(token);
            issuer = jwt.getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return rejected("not a signed JWT");
        }
        String kid = jwt.getHeader().getKeyID();
        String orgHandle = orgHandleOf(issuer);
        if (kid == null || orgHandle == null) {
            return rejected("no kid, or an issuer that is not this server's");
        }
        Optional<SigningKeys.OrgKeys> orgKeys = keys.ofOrganizationWith(orgHandle, kid);
        if (orgKeys.isEmpty()) {
            return rejected("unknown organization");
        }
        try {
            JWTClaimsSet claims = processor(issuer, orgKeys.get()).process(jwt, null);
            return Optional.of(new VerifiedToken(orgHandle, claims.getSubject(), claims.getStringClaim("client_id"),
                    Scopes.parse(claims.getStringClaim("scope")), claims));
        } catch (BadJOSEException | JOSEException | ParseException e) {
            return rejected(e.getMessage());
        }
    }

    /** An opaque token's stored claims, held to the same claim checks as a JWT's. */
    private Optional<VerifiedToken> opaque(String token) {
        Optional<JWTClaimsSet> found = opaqueTokens.claims(token);
        if (found.isEmpty()) {
            return rejected("an unknown or expired opaque token");
        }
        JWTClaimsSet claims = found.get();
        String orgHandle = orgHandleOf(claims.getIssuer());
        if (orgHandle == null || !claims.getClaims().keySet().containsAll(REQUIRED_CLAIMS)) {
            return rejected("an opaque token without this server's issuer or a required claim");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(clock.instant().plusSeconds(MAX_CLOCK_SKEW_SECONDS))) {
            return rejected("an opaque token not valid yet");
        }
        try {
            return Optional.of(new VerifiedToken(orgHandle, claims.getSubject(), claims.getStringClaim("client_id"),
                    Scopes.parse(claims.getStringClaim("scope")), claims));
        } catch (ParseException e) {
            return rejected(e.getMessage());
        }
    }

    private DefaultJWTProcessor<SecurityContext> processor(String issuer, SigningKeys.OrgKeys orgKeys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(ACCESS_TOKEN_TYPE));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(SigningKeys.ALGORITHMS,
                new ImmutableJWKSet<>(orgKeys.publicKeys())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                null, new JWTClaimsSet.Builder().issuer(issuer).build(), REQUIRED_CLAIMS, null) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    /** The handle in {@code {base}/t/{handle}/oauth2/token}, or null for any other issuer. */
    private String orgHandleOf(String issuer) {
        if (issuer == null || !issuer.startsWith(issuerPrefix) || !issuer.endsWith(ISSUER_SUFFIX)
                || issuer.length() <= issuerPrefix.length() + ISSUER_SUFFIX.length()) {
            return null;
        }
        String handle = issuer.substring(issuerPrefix.length(), issuer.length() - ISSUER_SUFFIX.length());
        return handle.contains("/") ? null : handle;
    }

    private static Optional<VerifiedToken> rejected(String reason) {
        log.debug("access token rejected: {}", reason);
        return Optional.empty();
    }
}
