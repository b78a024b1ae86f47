package dev.gatehouse.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * The tickets that carry a signed-in user from a sign-in page to its consent page (the authorization endpoint's and
 * the device verification page's): short-lived JWTs of their own type, signed with the organization's key, whose
 * claims bind them to one request and to the browser's CSRF token. A ticket passes only with that type, a signature
 * of one of the organization's published keys, every expected claim exactly, a subject, scopes and an expiry not yet
 * past on the injected clock.
 */
final class ConsentTickets {

    private ConsentTickets() {
    }

    /** The ticket's claims if it passes; empty for a missing, forged, foreign or expired one. */
    static Optional<JWTClaimsSet> verify(String ticket, JOSEObjectType type, JWKSet organizationKeys,
                                         JWTClaimsSet expected, Clock clock) {
        if (ticket == null) {
            return Optional.empty();
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(SigningKeys.ALGORITHMS,
                new ImmutableJWKSet<>(organizationKeys)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, expected, Set.of("sub", "scope", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        try {
            return Optional.of(processor.process(ticket, null));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            return Optional.empty();
        }
    }
}
