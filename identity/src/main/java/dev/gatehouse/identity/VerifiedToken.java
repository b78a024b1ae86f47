package dev.gatehouse.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import java.util.Set;

/**
 * An access token the built-in identity provider issued, checked: signature, issuer, lifetime.
 *
 * @param orgHandle the organization whose provider issued it
 * @param subject   the user's ID, or the client ID for a client_credentials token
 * @param clientId  the client it was issued to
 * @param scopes    the granted scopes
 * @param claims    every claim, for callers that need more (for example {@code username})
 */
public record VerifiedToken(String orgHandle, String subject, String clientId, Set<String> scopes,
                            JWTClaimsSet claims) {

    public VerifiedToken {
        scopes = Set.copyOf(scopes);
    }
}
