package dev.gatehouse.gateway;

import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.gateway.decision.Decision.Allow;
import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.gateway.decision.Refusal;
import dev.gatehouse.gateway.security.BackendJwtSigner;
import dev.gatehouse.gateway.security.DpopProofCheck;
import dev.gatehouse.model.snapshot.RoutedApi;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an allowed call to its API's backend and the backend's answer to the caller, both bodies streamed with
 * back-pressure and never buffered whole. Hop-by-hop headers (RFC 9110 section 7.6.1, and any a {@code Connection}
 * header names) are dropped both ways, as are the caller's {@code Authorization} and {@code DPoP} proof unless the API
 * asks for Authorization forwarding; {@code X-Forwarded-For}, {@code -Proto} and {@code -Host}, and RFC 7239
 * {@code Forwarded}, tell the backend who called (a caller's own {@code X-Forwarded-For} and {@code Forwarded} are extended); {@code X-Request-ID} and
 * {@code traceparent} carry the call's request ID and trace context (the caller's when well formed, fresh ones
 * otherwise). An API that asks for it gets a backend JWT with the caller's claims ({@link BackendJwtSigner}) in its
 * header, which a caller can never set itself. Connections come from one pooled client.
 */
final class Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    private static final String[] HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "te",
        "transfer-encoding", "upgrade", "trailer", "proxy-authenticate", "proxy-authorization"};

    /** Request headers the gateway sets itself instead of passing on. */
    private static final String[] SET_BY_THE_GATEWAY = {"host", "expect", "x-forwarded-proto", "x-forwarded-host",
        "x-request-id", "traceparent"};

    private final HttpClient client;
    private final long connectTimeoutMillis;
    private final long responseTimeoutMillis;

    Forwarder(HttpClient client, Duration connectTimeout, Duration responseTimeout) {
        this.client = client;
        this.connectTimeoutMillis = connectTimeout.toMillis();
        this.responseTimeoutMillis = responseTimeout.toMillis();
    }

    /**
     * Forwards a request (paused while the gateway decided, if it has a body); answers it with a problem when the
     * backend cannot be reached or is too slow.
     *
     * @param backendJwts signs the backend JWT of APIs that ask for one; null when the snapshot has no key
     */
    void forward(HttpServerRequest in, Allow allow, Backend backend, BackendJwtSigner backendJwts, Exchange exchange) {
        RoutedApi api = allow.route().api();
        if (backend == null || !backend.usable()) {
            refuse(in, exchange, new Deny(Refusal.BACKEND_UNAVAILABLE, Check.BACKEND,
                    "the backend URL of " + Admission.label(api) + " is not usable"));
            return;
        }
        MultiMap headers = requestHeaders(in, exchange, api);
        if (api.backendJwtHeader() != null) {
            if (backendJwts == null) {
                LOG.error("{} asks for a backend JWT, but the snapshot carries no signing key", api.apiId());
                refuse(in, exchange, Problems.internalError());
                return;
            }
            headers.set(api.backendJwtHeader(), backendJwts.sign(api, allow.client(), allow.token()));
        }
        boolean hasBody = hasBody(in);
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(backend.host())
                .setPort(backend.port())
                .setSsl(backend.ssl())
                .setURI(backend.requestUri(allow.route().resourcePath(), in.query()))
                .setHeaders(headers)
                .setFollowRedirects(false)
                .setConnectTimeout(connectTimeoutMillis);

        client.request(options).onComplete(connected -> guarded(in, exchange, () -> {
            if (connected.failed()) {
                LOG.debug("cannot connect to the backend of {}: {}", api.apiId(), connected.cause().toString());
                refuse(in, exchange, new Deny(Refusal.BACKEND_UNAVAILABLE, Check.BACKEND,
                        "the backend of " + Admission.label(api) + " cannot be reached"));
                return;
            }
            HttpClientRequest toBackend = connected.result();
            exchange.onCutOff(toBackend::reset);
            if (hasBody) {
                if (!toBackend.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
                    toBackend.setChunked(true);
                }
                if (in.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
                    in.response().writeContinue();
                }
                in.pipe().endOnFailure(false).to(toBackend).onComplete(sent -> {
                    if (sent.failed()) {
                        toBackend.reset();
                    } else {
                        awaitAnswer(toBackend);
                    }
                });
            } else {
                toBackend.end();
                awaitAnswer(toBackend);
            }
            toBackend.response().onComplete(answered -> guarded(in, exchange, () -> {
                if (answered.succeeded()) {
                    relay(in, answered.result());
                } else if (answered.cause() instanceof TimeoutException) {
                    refuse(in, exchange, new Deny(Refusal.BACKEND_TIMEOUT, Check.BACKEND, "the backend of "
                            + Admission.label(api) + " did not answer within " + responseTimeoutMillis + " ms"));
                } else {
                    LOG.debug("the backend of {} failed: {}", api.apiId(), answered.cause().toString());
                    refuse(in, exchange, new Deny(Refusal.BACKEND_UNAVAILABLE, Check.BACKEND,
                            "the backend of " + Admission.label(api) + " failed before answering"));
                }
            }));
        }));
    }

    /**
     * The options of the pooled backend client. A request times a backend out only until its answer begins; a
     * connection on which nothing moves either way for a quarter more than the response timeout is closed, which
     * cuts off an answer that stalls midway (the relay fails and the caller's connection is reset, so a truncated
     * answer is never passed off as complete) and retires pooled connections left idle that long. Watching the
     * connection costs nothing per call, unlike a timer per answer.
     */
    static HttpClientOptions clientOptions(Duration connectTimeout, Duration responseTimeout) {
        return new HttpClientOptions()
                .setConnectTimeout((int) connectTimeout.toMillis())
                .setKeepAlive(true)
                .setIdleTimeout((int) (responseTimeout.toMillis() + responseTimeout.toMillis() / 4))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    }

    /** Runs a step of the exchange; if it fails unexpectedly, the caller still gets an answer. */
    private static void guarded(HttpServerRequest in, Exchange exchange, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.error("unexpected failure forwarding {} {}", in.method(), in.path(), e);
            refuse(in, exchange, Problems.internalError());
        }
    }

    /**
     * Starts the backend's clock once the whole request is sent: a backend whose answer has not begun within the
     * response timeout gets the call refused with 504.
     */
    private void awaitAnswer(HttpClientRequest toBackend) {
        if (!toBackend.response().isComplete()) {
            toBackend.idleTimeout(responseTimeoutMillis);
        }
    }

    /** Whether the request announces a body; only such requests are paused while the gateway decides. */
    static boolean hasBody(HttpServerRequest request) {
        return request.headers().contains(HttpHeaders.CONTENT_LENGTH)
                || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
    }

    private void relay(HttpServerRequest in, HttpClientResponse answer) {
        HttpServerResponse out = in.response();
        if (out.ended() || out.closed()) {
            answer.request().reset();
            return;
        }
        out.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) {
            out.setStatusMessage(answer.statusMessage());
        }
        copyEndToEnd(answer.headers(), out.headers());
        if (!out.headers().contains(HttpHeaders.CONTENT_LENGTH)
                && mayHaveBody(in.method(), answer.statusCode())) {
            out.setChunked(true);
        }
        answer.pipe().endOnFailure(false).to(out).onFailure(failure -> {
            if (!out.ended()) {
                out.reset();
            }
        });
    }

    private static void refuse(HttpServerRequest in, Exchange exchange, Deny deny) {
        exchange.refused(deny);
        Problems.refuse(in, deny, true);
    }

    /**
     * The headers the backend gets: the caller's end-to-end ones, less its {@code Authorization} and {@code DPoP}
     * (unless the API asks for Authorization forwarding), its API key, and any header of the backend JWT's name (which only the gateway sets), plus the gateway's
     * own.
     */
    private static MultiMap requestHeaders(HttpServerRequest in, Exchange exchange, RoutedApi api) {
        boolean forwardAuthorization = api.forwardAuthorization();
        String backendJwtHeader = api.backendJwtHeader();
        String apiKeyHeader = api.apiKeyHeader();
        MultiMap incoming = in.headers();
        MultiMap forwarded = HttpHeaders.headers();
        Set<String> named = connectionOptions(incoming);
        String priorHops = null;
        String priorForwarded = null;
        for (Map.Entry<String, String> header : incoming) {
            String name = header.getKey();
            if (name.equalsIgnoreCase("X-Forwarded-For")) {
                priorHops = priorHops == null ? header.getValue() : priorHops + ", " + header.getValue();
            } else if (name.equalsIgnoreCase("Forwarded")) {
                priorForwarded = priorForwarded == null ? header.getValue()
                        : priorForwarded + ", " + header.getValue();
            } else if (isEndToEnd(name, named) && !isOneOf(name, SET_BY_THE_GATEWAY)
                    && (forwardAuthorization || !name.equalsIgnoreCase("Authorization")
                        && !name.equalsIgnoreCase(DpopProofCheck.HEADER))
                    && (backendJwtHeader == null || !name.equalsIgnoreCase(backendJwtHeader))
                    && (apiKeyHeader == null || !name.equalsIgnoreCase(apiKeyHeader))) {
                forwarded.add(name, header.getValue());
            }
        }
        String caller = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
        if (caller != null) {
            forwarded.set("X-Forwarded-For", priorHops == null ? caller : priorHops + ", " + caller);
        }
        String proto = in.scheme() == null ? "http" : in.scheme();
        forwarded.set("X-Forwarded-Proto", proto);
        String element = forwardedElement(caller, incoming.get(HttpHeaders.HOST), proto);
        forwarded.set("Forwarded", priorForwarded == null ? element : priorForwarded + ", " + element);
        forwarded.set(Correlation.REQUEST_ID, exchange.requestId());
        forwarded.set(Correlation.TRACEPARENT, exchange.traceparent());
        String host = incoming.get(HttpHeaders.HOST);
        if (host != null) {
            forwarded.set("X-Forwarded-Host", host);
        }
        return forwarded;
    }

    /**
     * This hop's RFC 7239 {@code Forwarded} element: {@code for=} the caller (IPv6 bracketed and quoted, as the
     * RFC requires), {@code host=} as the caller named it, quoted, and {@code proto=}.
     */
    static String forwardedElement(String caller, String host, String proto) {
        StringBuilder element = new StringBuilder();
        if (caller != null) {
            element.append(caller.indexOf(':') >= 0 ? "for=\"[" + caller + "]\"" : "for=" + caller).append(';');
        }
        if (host != null) {
            element.append("host=\"").append(host.replace("\\", "\\\\").replace("\"", "\\\"")).append("\";");
        }
        return element.append("proto=").append(proto).toString();
    }

    /** Copies every header that is not hop-by-hop, keeping repeated headers and their order. */
    private static void copyEndToEnd(MultiMap from, MultiMap to) {
        Set<String> named = connectionOptions(from);
        for (Map.Entry<String, String> header : from) {
            if (isEndToEnd(header.getKey(), named)) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    /** The header names, lower-cased, that the {@code Connection} headers declare hop-by-hop; usually none. */
    private static Set<String> connectionOptions(MultiMap headers) {
        String first = headers.get(HttpHeaders.CONNECTION);
        if (first == null) {
            return Set.of();
        }
        Set<String> named = new HashSet<>();
        for (String connection : headers.getAll(HttpHeaders.CONNECTION)) {
            for (String token : connection.split(",")) {
                named.add(token.strip().toLowerCase(Locale.ROOT));
            }
        }
        return named;
    }

    private static boolean isEndToEnd(String name, Set<String> named) {
        if (isOneOf(name, HOP_BY_HOP)) {
            return false;
        }
        for (String option : named) {
            if (option.equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    /** Case-insensitive membership in a short list of names; allocates nothing. */
    private static boolean isOneOf(String name, String[] names) {
        for (String candidate : names) {
            if (candidate.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mayHaveBody(HttpMethod method, int status) {
        return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
    }
}
