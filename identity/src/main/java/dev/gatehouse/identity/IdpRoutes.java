package dev.gatehouse.identity;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider's HTTP face on Vert.x. Every handler reads the store or hashes, so each runs on a worker thread
 * ({@code blockingHandler}, unordered), never on an event loop; this class only carries strings between Vert.x
 * and the Nimbus-based endpoints.
 */
final class IdpRoutes {

    static final String TOKEN_PATH = "/t/:org/oauth2/token";
    static final String AUTHORIZE_PATH = "/t/:org/oauth2/authorize";
    static final String USERINFO_PATH = "/t/:org/oauth2/userinfo";
    static final String LOGOUT_PATH = "/t/:org/oauth2/logout";
    static final String INTROSPECT_PATH = "/t/:org/oauth2/introspect";
    static final String REVOKE_PATH = "/t/:org/oauth2/revoke";
    static final String DEVICE_AUTHORIZATION_PATH = "/t/:org/oauth2/device_authorization";
    static final String DEVICE_PATH = "/t/:org/oauth2/device";
    static final String CSRF_COOKIE = "gatehouse_csrf";
    static final String JWKS_PATH = "/t/:org/oauth2/jwks";
    static final String DISCOVERY_PATH = "/t/:org/oauth2/token/.well-known/openid-configuration";
    static final String AS_METADATA_PATH = "/.well-known/oauth-authorization-server/t/:org/oauth2/token";

    private static final Logger log = LoggerFactory.getLogger(IdpRoutes.class);
    private static final long MAX_TOKEN_REQUEST_BYTES = 64 * 1024;
    private static final String JSON = "application/json; charset=UTF-8";
    private static final String HTML = "text/html; charset=UTF-8";
    /** What an organization handle can be; anything else never reaches a cookie's path. */
    private static final Pattern ORG_HANDLE = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

    private final IdpConfig config;
    private final TokenEndpoint tokenEndpoint;
    private final AuthorizationEndpoint authorizationEndpoint;
    private final UserInfoEndpoint userInfoEndpoint;
    private final LogoutEndpoint logoutEndpoint;
    private final TokenStatusEndpoint tokenStatusEndpoint;
    private final DeviceAuthorizationEndpoint deviceAuthorizationEndpoint;
    private final DeviceVerificationEndpoint deviceVerificationEndpoint;
    private final SigningKeys keys;

    IdpRoutes(IdpConfig config, TokenEndpoint tokenEndpoint, AuthorizationEndpoint authorizationEndpoint,
              UserInfoEndpoint userInfoEndpoint, LogoutEndpoint logoutEndpoint,
              TokenStatusEndpoint tokenStatusEndpoint, DeviceAuthorizationEndpoint deviceAuthorizationEndpoint,
              DeviceVerificationEndpoint deviceVerificationEndpoint, SigningKeys keys) {
        this.config = config;
        this.tokenEndpoint = tokenEndpoint;
        this.authorizationEndpoint = authorizationEndpoint;
        this.userInfoEndpoint = userInfoEndpoint;
        this.logoutEndpoint = logoutEndpoint;
        this.tokenStatusEndpoint = tokenStatusEndpoint;
        this.deviceAuthorizationEndpoint = deviceAuthorizationEndpoint;
        this.deviceVerificationEndpoint = deviceVerificationEndpoint;
        this.keys = keys;
    }

    void mount(Router router) {
        router.post(TOKEN_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_TOKEN_REQUEST_BYTES))
                .blockingHandler(guarded(this::token), false);
        router.get(AUTHORIZE_PATH).blockingHandler(guarded(this::showAuthorization), false);
        router.post(AUTHORIZE_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_TOKEN_REQUEST_BYTES))
                .blockingHandler(guarded(this::submitAuthorization), false);
        router.get(USERINFO_PATH).blockingHandler(guarded(this::userInfo), false);
        router.post(USERINFO_PATH).blockingHandler(guarded(this::userInfo), false);
        router.get(LOGOUT_PATH).blockingHandler(guarded(
                ctx -> render(ctx, logoutEndpoint.handle(ctx.pathParam("org"), ctx.request().query()))), false);
        router.post(INTROSPECT_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_TOKEN_REQUEST_BYTES))
                .blockingHandler(guarded(ctx -> send(ctx, tokenStatusEndpoint.introspect(ctx.pathParam("org"),
                        ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                        ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), ctx.body().asString()))), false);
        router.post(REVOKE_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_TOKEN_REQUEST_BYTES))
                .blockingHandler(guarded(ctx -> send(ctx, tokenStatusEndpoint.revoke(ctx.pathParam("org"),
                        ctx.request().getHeader(HttpHeaders.AUTHORIZATION),
                        ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), ctx.body().asString()))), false);
        router.post(DEVICE_AUTHORIZATION_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_TOKEN_REQUEST_BYTES))
                .blockingHandler(guarded(this::deviceAuthorization), false);
        router.get(DEVICE_PATH).blockingHandler(guarded(this::showDeviceVerification), false);
        router.post(DEVICE_PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_TOKEN_REQUEST_BYTES))
                .blockingHandler(guarded(this::submitDeviceVerification), false);
        router.get(JWKS_PATH).blockingHandler(guarded(this::jwks), false);
        router.get(DISCOVERY_PATH).blockingHandler(guarded(this::metadata), false);
        router.get(AS_METADATA_PATH).blockingHandler(guarded(this::metadata), false);
    }

    private void token(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HTTPResponse response = tokenEndpoint.handle(ctx.pathParam("org"), request.query(),
                request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(HttpHeaders.CONTENT_TYPE),
                ctx.body().asString(), request.headers().getAll(DpopProofs.HEADER), clientIp(ctx));
        send(ctx, response);
    }

    private void userInfo(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        send(ctx, userInfoEndpoint.handle(ctx.pathParam("org"), request.method().name(),
                request.getHeader(HttpHeaders.AUTHORIZATION), request.headers().getAll(DpopProofs.HEADER)));
    }

    private void showAuthorization(RoutingContext ctx) {
        String csrf = csrfCookie(ctx, "/authorize");
        if (csrf != null) {
            render(ctx, authorizationEndpoint.show(ctx.pathParam("org"), ctx.request().query(), csrf));
        }
    }

    private void submitAuthorization(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(CSRF_COOKIE);
        render(ctx, authorizationEndpoint.submit(ctx.pathParam("org"), formBody(ctx),
                cookie == null ? null : cookie.getValue(), clientIp(ctx)));
    }

    private void deviceAuthorization(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        send(ctx, deviceAuthorizationEndpoint.handle(ctx.pathParam("org"), request.query(),
                request.getHeader(HttpHeaders.AUTHORIZATION), request.getHeader(HttpHeaders.CONTENT_TYPE),
                ctx.body().asString(), clientIp(ctx)));
    }

    private void showDeviceVerification(RoutingContext ctx) {
        String csrf = csrfCookie(ctx, "/device");
        if (csrf != null) {
            render(ctx, deviceVerificationEndpoint.show(ctx.pathParam("org"), ctx.request().query(), csrf));
        }
    }

    private void submitDeviceVerification(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(CSRF_COOKIE);
        render(ctx, deviceVerificationEndpoint.submit(ctx.pathParam("org"), formBody(ctx),
                cookie == null ? null : cookie.getValue(), clientIp(ctx)));
    }

    /**
     * Sets the browser's CSRF cookie for a page under {@code /t/{org}/oauth2} and returns its token; null, after
     * answering with a 404 page, for an organization handle that cannot exist (it never reaches a cookie's path).
     */
    private String csrfCookie(RoutingContext ctx, String page) {
        String org = ctx.pathParam("org");
        if (!ORG_HANDLE.matcher(org).matches()) {
            render(ctx, new AuthorizationEndpoint.Outcome.Page(404,
                    LoginPages.error("This organization does not exist.")));
            return null;
        }
        Cookie cookie = ctx.request().getCookie(CSRF_COOKIE);
        String csrf = authorizationEndpoint.csrfToken(cookie == null ? null : cookie.getValue());
        ctx.response().addCookie(Cookie.cookie(CSRF_COOKIE, csrf)
                .setPath("/t/" + org + "/oauth2" + page)
                .setHttpOnly(true)
                .setSecure(config.publicBaseUrl().startsWith("https:"))
                .setSameSite(CookieSameSite.LAX));
        return csrf;
    }

    /** The body of a form POST; empty for any other content type. */
    private static String formBody(RoutingContext ctx) {
        boolean form = "application/x-www-form-urlencoded".equals(
                String.valueOf(ctx.request().getHeader(HttpHeaders.CONTENT_TYPE)).split(";")[0].trim());
        return form ? ctx.body().asString() : "";
    }

    /** Pages are never cached, framed, or allowed to load anything; redirects after a POST are 303 See Other. */
    private static void render(RoutingContext ctx, AuthorizationEndpoint.Outcome outcome) {
        HttpServerResponse out = ctx.response()
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("Referrer-Policy", "no-referrer");
        switch (outcome) {
            case AuthorizationEndpoint.Outcome.Page page -> out.setStatusCode(page.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, HTML)
                    .putHeader("Content-Security-Policy", PAGE_POLICY)
                    .putHeader("X-Frame-Options", "DENY")
                    .end(page.html());
            case AuthorizationEndpoint.Outcome.Redirect redirect -> out
                    .setStatusCode(ctx.request().method() == HttpMethod.POST ? 303 : 302)
                    .putHeader(HttpHeaders.LOCATION, redirect.location().toString())
                    .end();
        }
    }

    private void jwks(RoutingContext ctx) {
        keys.ofOrganization(ctx.pathParam("org")).ifPresentOrElse(
                org -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                        .end(JSONObjectUtils.toJSONString(org.publicKeys().toJSONObject(true))),
                () -> refuse(ctx, TokenRefusal.unknownOrganization()));
    }

    private void metadata(RoutingContext ctx) {
        keys.ofOrganization(ctx.pathParam("org")).ifPresentOrElse(
                org -> ctx.response()
                        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                        .putHeader(HttpHeaders.CACHE_CONTROL, "public, max-age=300")
                        .end(ProviderMetadata.json(Endpoints.of(config.publicBaseUrl(), org.orgHandle()))),
                () -> refuse(ctx, TokenRefusal.unknownOrganization()));
    }

    /** The peer's address; behind a proxy that is the proxy's, so throttling by address then throttles it. */
    private static String clientIp(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }

    private static void refuse(RoutingContext ctx, TokenRefusal refusal) {
        send(ctx, refusal.toHTTPResponse());
    }

    private static void send(RoutingContext ctx, HTTPResponse response) {
        HttpServerResponse out = ctx.response().setStatusCode(response.getStatusCode());
        response.getHeaderMap().forEach(out::putHeader);
        out.end(response.getBody() == null ? "" : response.getBody());
    }

    /** No exception escapes to Vert.x's default failure page: the caller gets a bare server_error. */
    private static Handler<RoutingContext> guarded(Handler<RoutingContext> handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (RuntimeException e) {
                log.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
                if (!ctx.response().headWritten()) {
                    refuse(ctx, TokenRefusal.serverError());
                }
            }
        };
    }
}
