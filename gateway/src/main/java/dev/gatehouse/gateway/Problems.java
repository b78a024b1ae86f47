package dev.gatehouse.gateway;

import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.gateway.decision.Decision.Deny;
import com.nimbusds.jose.JWSAlgorithm;
import dev.gatehouse.gateway.decision.Refusal;
import dev.gatehouse.gateway.security.DpopProofCheck;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The one place refusals become HTTP: an RFC 9457 problem body, the refusal's status, and for the OAuth refusals
 * an RFC 6750 {@code WWW-Authenticate} challenge ({@code Bearer}, or {@code DPoP} for the RFC 9449 refusals).
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";
    static final String REALM = "gatehouse";
    static final String RATE_LIMIT_POLICY = "RateLimit-Policy";
    static final String RATE_LIMIT = "RateLimit";

    private static final Deny INTERNAL_ERROR = new Deny(Refusal.INTERNAL_ERROR, Check.GATEWAY,
            "the gateway failed to handle the request; the failure is logged");

    private Problems() {
    }

    static Deny internalError() {
        return INTERNAL_ERROR;
    }

    /**
     * Answers a call with a refusal. If the answer has already started, the call is cut off instead. A request
     * body the gateway has not read is discarded; the connection is closed after the answer when
     * {@code closeIfBodyUnread} asks for it or when the caller may be holding the body back until it hears
     * {@code 100 Continue}, so unread bytes can never be taken for the next request.
     */
    static void refuse(HttpServerRequest request, Deny deny, boolean closeIfBodyUnread) {
        HttpServerResponse response = request.response();
        if (!request.isEnded()) {
            request.resume();
        }
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        boolean close = !request.isEnded() && (closeIfBodyUnread
                || request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true));
        if (close) {
            response.headers().set(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        Future<Void> sent = send(response, deny);
        if (close) {
            sent.onComplete(done -> request.connection().close());
        }
    }

    /** Sends the refusal as the whole response; the response must not have been started. */
    static Future<Void> send(HttpServerResponse response, Deny deny) {
        Refusal refusal = deny.refusal();
        response.setStatusCode(refusal.status());
        response.headers()
                .set(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
                .set(HttpHeaders.CACHE_CONTROL, "no-store");
        String challenge = challenge(deny);
        if (challenge != null) {
            response.headers().set("WWW-Authenticate", challenge);
        }
        if (refusal == Refusal.METHOD_NOT_ALLOWED) {
            response.headers().set(HttpHeaders.ALLOW, String.join(", ", deny.allowedMethods()));
        }
        if (deny.quota() != null) {
            response.headers()
                    .set(HttpHeaders.RETRY_AFTER, Long.toString(deny.quota().retryAfterSeconds()))
                    .set(RATE_LIMIT_POLICY, deny.quota().policyHeader())
                    .set(RATE_LIMIT, deny.quota().stateHeader());
        }
        return response.end(body(deny).encode());
    }

    static JsonObject body(Deny deny) {
        Refusal refusal = deny.refusal();
        return new JsonObject()
                .put("type", refusal.problemType())
                .put("title", refusal.title())
                .put("status", refusal.status())
                .put("detail", deny.detail())
                .put("check", deny.check().wireName());
    }

    /** The {@code WWW-Authenticate} value for the refusal, or null when it carries none. */
    static String challenge(Deny deny) {
        Refusal refusal = deny.refusal();
        return switch (refusal.challenge()) {
            case NONE -> null;
            case WITHOUT_ERROR -> "Bearer realm=\"" + REALM + "\"";
            case WITH_ERROR -> {
                StringBuilder value = new StringBuilder("Bearer realm=\"").append(REALM)
                        .append("\", error=\"").append(refusal.code())
                        .append("\", error_description=\"").append(descriptionChars(deny.detail())).append('"');
                if (!deny.requiredScopes().isEmpty()) {
                    value.append(", scope=\"").append(String.join(" ", deny.requiredScopes())).append('"');
                }
                yield value.toString();
            }
            case DPOP -> "DPoP realm=\"" + REALM + "\", error=\"" + refusal.code() + "\", error_description=\""
                    + descriptionChars(deny.detail()) + "\", algs=\"" + DPOP_ALGORITHMS + '"';
        };
    }

    private static final String DPOP_ALGORITHMS = String.join(" ",
            DpopProofCheck.ALGORITHMS.stream().map(JWSAlgorithm::getName).toList());

    /** RFC 6750 allows only %x20-21 / %x23-5B / %x5D-7E in error_description; anything else becomes '?'. */
    private static String descriptionChars(String detail) {
        StringBuilder safe = new StringBuilder(detail.length());
        for (int i = 0; i < detail.length(); i++) {
            char c = detail.charAt(i);
            boolean allowed = c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
            safe.append(allowed ? c : '?');
        }
        return safe.toString();
    }
}
