package dev.gatehouse.gateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.model.snapshot.TrustedIssuer;
import java.util.Objects;

/** The outcome of verifying a bearer token. */
public sealed interface TokenCheck {

    /** The token is signed by a trusted issuer's key and valid now. */
    record Valid(TrustedIssuer issuer, JWTClaimsSet claims) implements TokenCheck {

        public Valid {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(claims, "claims");
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
}
