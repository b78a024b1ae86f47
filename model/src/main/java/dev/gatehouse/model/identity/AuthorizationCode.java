package dev.gatehouse.model.identity;

import java.time.Instant;
import java.util.Set;

/**
 * An authorization code of the built-in identity provider, as stored: only its hash, and everything it is bound to.
 *
 * @param codeHash      the SHA-256 hash of the code the client received
 * @param clientId      the client it was issued to; no other client can redeem it
 * @param userId        the user who logged in and consented
 * @param redirectUri   the redirect URI of the authorization request, which the token request must repeat
 * @param scopes        what the tokens it is redeemed for will carry
 * @param codeChallenge the PKCE S256 challenge (RFC 7636); null when the client sent none
 * @param nonce         the OpenID Connect nonce to put into the ID token; null when none was sent
 * @param used          whether it was redeemed already
 */
public record AuthorizationCode(String codeHash, String orgId, String clientId, String userId, String redirectUri,
                                Set<String> scopes, String codeChallenge, String nonce, boolean used,
                                Instant expiresAt) {

    public AuthorizationCode {
        scopes = Set.copyOf(scopes);
    }
}
