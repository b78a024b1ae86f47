package dev.gatehouse.ui;

import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The portal's try-it console sends its calls here, same-origin and with the page's CSRF token (every method: a
 * GET is a call to an API too), and they go on to the gateway of the environment the user chose: only to the
 * configured gateways, with only the headers that describe the call (the user's {@code Authorization} among them,
 * never the portal's cookies), and the gateway's answer comes back as it is, up to {@value #MAX_RESPONSE_BYTES}
 * bytes, sandboxed should a browser open it directly. The gateway then decides the call exactly as it decides any
 * other.
 */
final class TryItRelay {

    static final int MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> FORWARDED_REQUEST_HEADERS = Set.of("authorization", "content-type", "accept",
            "accept-language", "api-key", "x-request-id");
    /** Hop-by-hop headers (RFC 9110 section 7.6.1), and what the relay sets itself. */
    private static final Set<String> DROPPED_RESPONSE_HEADERS = Set.of("connection", "keep-alive", "transfer-encoding",
            "te", "trailer", "upgrade", "proxy-authenticate", "content-length", "set-cookie", ":status");

    /**
     * What the backend answers is shown by the console's script, never run as a page of the portal's origin: a
     * browser that opens it directly gets it sandboxed and unsniffed.
     */
    private static final Map<String, String> CONFINED = Map.of("Content-Security-Policy", "sandbox",
            "X-Content-Type-Options", "nosniff");

    private final HttpClient http;
    private final Map<String, String> gatewayUrls;

    TryItRelay(HttpClient http, Map<String, String> gatewayUrls) {
        this.http = http;
        this.gatewayUrls = Map.copyOf(gatewayUrls);
    }

    Outcome forward(Visit visit) throws IOException, InterruptedException {
        String gateway = gatewayUrls.get(visit.path("environment"));
        if (gateway == null) {
            return problem(404, "no environment '" + visit.path("environment") + "'");
        }
        if (!Csrf.valid(visit.ctx())) {
            return problem(403, "try-it calls carry the page's CSRF token");
        }
        String prefix = "/portal/" + visit.visitor().org() + "/try/" + visit.path("environment");
        String uri = visit.ctx().request().uri();
        String rest = uri.startsWith(prefix) ? uri.substring(prefix.length()) : "";
        if (!rest.startsWith("/") || rest.startsWith("//")) {
            return problem(400, "the path to try must start with a single '/'");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + rest)).timeout(TIMEOUT);
        visit.ctx().request().headers().forEach((name, value) -> {
            if (FORWARDED_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                request.header(name, value);
            }
        });
        Buffer body = visit.ctx().body().buffer();
        request.method(visit.ctx().request().method().name(), body == null || body.length() == 0
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body.getBytes()));
        HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] answer;
        try (InputStream in = response.body()) {
            answer = in.readNBytes(MAX_RESPONSE_BYTES);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!DROPPED_RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.equalsIgnoreCase("content-type")) {
                headers.put(name, String.join(", ", values));
            }
        });
        headers.putAll(CONFINED);
        String contentType = response.headers().firstValue("content-type").orElse("application/octet-stream");
        return new Outcome.Raw(response.statusCode(), contentType, answer, headers);
    }

    private static Outcome problem(int status, String detail) {
        String body = new io.vertx.core.json.JsonObject().put("title", "Try-it refused").put("status", status)
                .put("detail", detail).encode();
        return new Outcome.Raw(status, "application/problem+json", body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
