package dev.gatehouse.model.snapshot;

import java.time.Instant;
import java.util.Objects;

/**
 * An access token revoked at its issuer before it expired (RFC 7009): a gateway refuses a token with this
 * {@code iss} and {@code jti} even though its signature and claims still hold. Sent only until the token would
 * have expired, after which its own {@code exp} refuses it.
 *
 * @param issuer    the token's {@code iss}
 * @param tokenId   the token's {@code jti}
 * @param expiresAt the token's {@code exp}
 */
public record RevokedToken(String issuer, String tokenId, Instant expiresAt) {

    public RevokedToken {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
