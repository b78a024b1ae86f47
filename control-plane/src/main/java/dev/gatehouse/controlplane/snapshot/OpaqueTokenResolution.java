package dev.gatehouse.controlplane.snapshot;

import dev.gatehouse.controlplane.http.GatewayCredential;
import dev.gatehouse.controlplane.http.ManagementRouter;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.model.identity.OpaqueAccessTokens;
import dev.gatehouse.model.snapshot.FeedProtocol;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Optional;

/**
 * Tells gateway processes what the built-in identity provider's opaque access tokens stand for
 * ({@link FeedProtocol#TOKEN_RESOLUTION_ROUTE}), since a gateway cannot read one and has no store: with the gateway
 * token only, the token in the request body (never in a URL, where it would be logged), the claims in the answer.
 * Whether a token was revoked the gateways learn from their snapshots, as for JWTs.
 */
public final class OpaqueTokenResolution {

    private static final int MAX_BODY_BYTES = 1024;

    private final Vertx vertx;
    private final BuiltInIdentityProvider identity;
    private final GatewayCredential credential;

    /** @param gatewayToken the secret gateway processes present; null closes the endpoint */
    public OpaqueTokenResolution(Vertx vertx, BuiltInIdentityProvider identity, String gatewayToken) {
        this.vertx = vertx;
        this.identity = identity;
        this.credential = new GatewayCredential(gatewayToken);
    }

    public void mount(Router router) {
        router.post(FeedProtocol.TOKEN_RESOLUTION_ROUTE)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
                .handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        if (credential.admit(ctx, "opaque token resolution").isEmpty()) {
            return;
        }
        String token = ctx.request().getFormAttribute("token");
        if (token == null || !OpaqueAccessTokens.looksOpaque(token)) {
            ManagementRouter.render(ctx, Problem.invalid("token", "the form field token must be an opaque access token"));
            return;
        }
        vertx.<Optional<VerifiedToken>>executeBlocking(() -> identity.verify(token), false).onComplete(resolved -> {
            if (resolved.failed()) {
                ctx.fail(resolved.cause());
            } else if (resolved.result().isEmpty()) {
                ManagementRouter.render(ctx, Problem.notFound("the token is unknown or expired"));
            } else {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                        .end(resolved.result().get().claims().toString());
            }
        });
    }
}
