package dev.gatehouse.gateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The outcome of verifying a bearer token. */
public sealed interface TokenCheck {

    /**
     * The token is signed by a trusted issuer's key and valid now.
     *
     * @param clientId      the first of the issuer's client ID claims that is a non-empty string, or null when the
     *                      token has none
     * @param grantedScopes the scopes in the issuer's scope claim (a space-separated string or an array of
     *                      strings; other array entries are ignored), empty when there are none
     * @param tokenId       the token's {@code jti}, or null when it has none (it then cannot be revoked)
     */
    record Valid(TrustedIssuer issuer, JWTClaimsSet claims, String clientId, Set<String> grantedScopes, String tokenId)
            implements TokenCheck {

        public Valid {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(claims, "claims");
            grantedScopes = Set.copyOf(grantedScopes);
        }

        /** Reads the client ID and the scopes from {@code claims} as the issuer's claim mapping says. */
        static Valid of(TrustedIssuer issuer, JWTClaimsSet claims) {
            return new Valid(issuer, claims, clientId(claims, issuer.claims()),
                    scopes(claims.getClaim(issuer.claims().scopeClaim())),
                    claims.getClaim("jti") instanceof String jti ? jti : null);
        }

        private static String clientId(JWTClaimsSet claims, ClaimMapping mapping) {
            for (String name : mapping.clientIdClaims()) {
                if (claims.getClaim(name) instanceof String value && !value.isEmpty()) {
                    return value;
                }
            }
            return null;
        }

        private static Set<String> scopes(Object scopeClaim) {
            Set<String> granted = new HashSet<>();
            switch (scopeClaim) {
                case String spaceSeparated -> {
                    for (String scope : spaceSeparated.split(" ")) {
                        if (!scope.isEmpty()) {
                            granted.add(scope);
                        }
                    }
                }
                case List<?> array -> {
                    for (Object scope : array) {
                        if (scope instanceof String value) {
                            granted.add(value);
                        }
                    }
                }
                case null, default -> {
                }
            }
            return granted;
        }
    }

    /**
     * The token must be refused with {@code invalid_token}.
     *
     * @param check  the step that refused it: credential, issuer, signature or claims
     * @param detail what exactly is wrong, for the caller
     */
    record Invalid(Check check, String detail) implements TokenCheck {

        public Invalid {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Whether the token is valid cannot be told now: the one who could tell (the control plane, for an opaque token)
     * cannot be asked. Nothing is wrong with the caller's credentials, so the call is refused as a passing outage.
     *
     * @param detail what could not be reached, for the caller
     */
    record Unknowable(String detail) implements TokenCheck {

        public Unknowable {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
