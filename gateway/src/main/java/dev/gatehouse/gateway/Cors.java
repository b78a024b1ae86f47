package dev.gatehouse.gateway;

import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.model.snapshot.RoutedApi;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Cross-origin calls from browsers, per API (the CORS protocol of the Fetch standard). An API lists the origins it
 * allows ({@code *} for any); an API that lists none gets no CORS headers at all.
 *
 * <p>A preflight ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}) for a path that has
 * a resource with the requested method, from an allowed origin, is answered by the gateway itself with 204 and
 * never reaches the backend: browsers send no credentials on preflights, so it needs no token. It allows the
 * requested method and headers and may be cached for {@value #PREFLIGHT_MAX_AGE_SECONDS} seconds. Any other
 * preflight is decided like any call (usually 405). The actual call from an allowed origin, allowed or refused,
 * carries {@code Access-Control-Allow-Origin} with that origin, {@code Vary: Origin}, and exposes
 * {@code X-Request-ID} and {@code WWW-Authenticate}, so a browser application can read refusals too. Credentials
 * mode is not offered: calls carry bearer tokens, not cookies.
 */
final class Cors {

    static final int PREFLIGHT_MAX_AGE_SECONDS = 600;

    private Cors() {
    }

    /**
     * Answers the request if it is a preflight this gateway allows, and says whether it did; otherwise the call is
     * decided as usual.
     */
    static boolean answeredPreflight(HttpServerRequest request, CompiledSnapshot snapshot, Exchange exchange) {
        MultiMap headers = request.headers();
        String origin = headers.get("Origin");
        String requestedMethod = headers.get("Access-Control-Request-Method");
        if (request.method() != HttpMethod.OPTIONS || origin == null || requestedMethod == null) {
            return false;
        }
        if (!(snapshot.routes().lookup(requestedMethod, request.path()) instanceof RouteMatch.Found found)
                || !allows(found.api(), origin)) {
            return false;
        }
        exchange.routed(found);
        HttpServerResponse response = request.response();
        response.headers()
                .set("Access-Control-Allow-Origin", origin)
                .set("Access-Control-Allow-Methods", requestedMethod)
                .set("Access-Control-Max-Age", String.valueOf(PREFLIGHT_MAX_AGE_SECONDS))
                .set("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        String requestedHeaders = headers.get("Access-Control-Request-Headers");
        if (requestedHeaders != null) {
            response.headers().set("Access-Control-Allow-Headers", requestedHeaders);
        }
        response.setStatusCode(204).end();
        return true;
    }

    /**
     * For a call that names an origin: once the call's route is known and just before the answer's head goes out,
     * adds the CORS headers if the route's API allows that origin (replacing any the backend sent).
     */
    static void decorateAnswer(HttpServerRequest request, Exchange exchange) {
        String origin = request.headers().get("Origin");
        if (origin == null) {
            return;
        }
        HttpServerResponse response = request.response();
        response.headersEndHandler(writing -> {
            RouteMatch.Found route = exchange.route();
            if (route != null && allows(route.api(), origin)) {
                response.headers()
                        .set("Access-Control-Allow-Origin", origin)
                        .set("Access-Control-Expose-Headers", "X-Request-ID, WWW-Authenticate")
                        .set("Vary", "Origin");
            }
        });
    }

    private static boolean allows(RoutedApi api, String origin) {
        return api.corsOrigins().contains(origin) || api.corsOrigins().contains("*");
    }
}
