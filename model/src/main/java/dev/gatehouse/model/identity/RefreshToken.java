package dev.gatehouse.model.identity;

import java.time.Instant;
import java.util.Set;

/**
 * A refresh token of the built-in identity provider, as stored: only its hash.
 *
 * @param tokenHash the SHA-256 hash of the token the client holds
 * @param familyId  shared by every token rotated from the same grant; revoking the family revokes them all
 * @param clientId  the client it was issued to; no other client can use it
 * @param scopes    the most the access tokens it buys can carry
 * @param used      whether it was exchanged already; a used token presented again revokes its family
 * @param revoked   whether its family was revoked
 * @param jkt       the RFC 7638 SHA-256 thumbprint of the DPoP key it is bound to (RFC 9449 section 5: a public
 *                  client's refresh token obtained with a DPoP proof), or null when it is not bound
 */
public record RefreshToken(String tokenHash, String orgId, String familyId, String clientId, String userId,
                           Set<String> scopes, boolean used, boolean revoked, Instant expiresAt, String jkt) {

    public RefreshToken {
        scopes = Set.copyOf(scopes);
    }

    /** A refresh token bound to no key. */
    public RefreshToken(String tokenHash, String orgId, String familyId, String clientId, String userId,
                        Set<String> scopes, boolean used, boolean revoked, Instant expiresAt) {
        this(tokenHash, orgId, familyId, clientId, userId, scopes, used, revoked, expiresAt, null);
    }
}
