package dev.gatehouse.controlplane.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
