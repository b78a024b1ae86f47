package dev.gatehouse.controlplane.http;

import dev.gatehouse.model.Environment;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The secret gateway processes present on the control plane's internal endpoints (the gateway feed, the analytics
 * intake) as a bearer token. Only its SHA-256 digest is kept, and a presented token is compared by its digest in
 * constant time, so the comparison takes the same time whatever the tokens' lengths.
 */
public final class GatewayCredential {

    private final byte[] digest;

    /** @param gatewayToken the secret; null closes the internal endpoints */
    public GatewayCredential(String gatewayToken) {
        this.digest = gatewayToken == null ? null : sha256(gatewayToken);
    }

    /** Whether a gateway token is configured at all. */
    public boolean open() {
        return digest != null;
    }

    /** Whether the request carries the gateway token as its bearer token. */
    public boolean presentedBy(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (digest == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(sha256(authorization.substring(7).trim()), digest);
    }

    /**
     * Admits a gateway's request to the internal endpoint named {@code endpoint} (for example "the gateway feed"):
     * the environment its path names, or empty once a problem has been rendered — 404 while the endpoint is closed
     * or for an unknown environment, 401 without the gateway token.
     */
    public Optional<Environment> admit(RoutingContext ctx, String endpoint) {
        if (!open()) {
            ManagementRouter.render(ctx, Problem.notFound(
                    endpoint + " is closed: start the control plane with a gateway token to open it"));
            return Optional.empty();
        }
        if (!presentedBy(ctx)) {
            ManagementRouter.render(ctx, Problem.unauthenticated(endpoint + " takes the gateway token"));
            return Optional.empty();
        }
        try {
            return Optional.of(Environment.fromWireName(ctx.pathParam("environment")));
        } catch (IllegalArgumentException e) {
            ManagementRouter.render(ctx, Problem.notFound("no environment '" + ctx.pathParam("environment") + "'"));
            return Optional.empty();
        }
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
