package dev.gatehouse.model.snapshot;

import dev.gatehouse.model.ClaimMapping;
import java.util.Objects;

/**
 * An identity provider an organization has registered: tokens whose {@code iss} equals {@code issuer} are
 * verified with the keys at {@code jwksUri}, for that organization's APIs only.
 *
 * @param audience when not null, a token's {@code aud} must contain it
 */
public record TrustedIssuer(
        String idpId,
        String orgHandle,
        String issuer,
        String jwksUri,
        ClaimMapping claims,
        String audience) {

    public TrustedIssuer {
        Objects.requireNonNull(idpId, "idpId");
        Objects.requireNonNull(orgHandle, "orgHandle");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(jwksUri, "jwksUri");
        Objects.requireNonNull(claims, "claims");
    }
}
