package dev.gatehouse.model;

import java.util.List;
import java.util.Objects;

/**
 * Where an identity provider's access tokens carry the calling client's ID and the granted scopes.
 *
 * @param clientIdClaims the claims that may name the client, tried in order (for example {@code azp}, then
 *                       {@code client_id}); the first one present wins
 * @param scopeClaim     the claim that holds the granted scopes, either a space-separated string
 *                       ({@code scope}) or an array of strings ({@code scp})
 */
public record ClaimMapping(List<String> clientIdClaims, String scopeClaim) {

    public static final ClaimMapping DEFAULT = new ClaimMapping(List.of("azp", "client_id"), "scope");

    public ClaimMapping {
        Objects.requireNonNull(clientIdClaims, "clientIdClaims");
        Objects.requireNonNull(scopeClaim, "scopeClaim");
        clientIdClaims = List.copyOf(clientIdClaims);
        if (clientIdClaims.isEmpty()) {
            throw new IllegalArgumentException("clientIdClaims must name at least one claim");
        }
        if (scopeClaim.isBlank()) {
            throw new IllegalArgumentException("scopeClaim must not be blank");
        }
    }
}
