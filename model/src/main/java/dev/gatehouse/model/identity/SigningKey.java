package dev.gatehouse.model.identity;

import java.time.Instant;

/**
 * A key an organization's built-in identity provider signs tokens with, kept as a private JWK in JSON.
 *
 * @param algorithm the JWS algorithm it signs with: RS256, PS256 or ES256
 * @param active    false for a key withdrawn from use altogether
 * @param createdAt when it was made, and published
 * @param signsFrom when it starts signing (and its predecessor stops); never before {@code createdAt}
 */
public record SigningKey(String kid, String orgId, String algorithm, String privateJwk, boolean active,
                         Instant createdAt, Instant signsFrom) {

    /** A key that signs from the moment it is made. */
    public SigningKey(String kid, String orgId, String algorithm, String privateJwk, boolean active,
                      Instant createdAt) {
        this(kid, orgId, algorithm, privateJwk, active, createdAt, createdAt);
    }
}
