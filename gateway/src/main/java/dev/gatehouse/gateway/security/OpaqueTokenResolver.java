package dev.gatehouse.gateway.security;

import com.nimbusds.jwt.JWTClaimsSet;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Resolves the built-in identity provider's opaque access tokens to the claims they stand for: in a process that
 * runs the identity provider, from its store; in a gateway process, by asking the control plane. Empty for a token
 * it does not know or that has expired; a failure when it could not ask.
 */
@FunctionalInterface
public interface OpaqueTokenResolver {

    /** For gateways with no identity provider to ask: every opaque token is unknown. */
    OpaqueTokenResolver NONE = token -> Future.succeededFuture(Optional.empty());

    Future<Optional<JWTClaimsSet>> resolve(String token);
}
