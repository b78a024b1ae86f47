package dev.gatehouse.gateway.testing;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that answers with what it received, as JSON: method, uri, path, query, headers (name to list of
 * values, names lower-cased), body length and SHA-256. A call whose path ends in {@code /slow} is never answered;
 * one ending in {@code /stall} gets the start of a chunked answer that never ends.
 * The request header {@code x-echo-status} sets the answer's status, {@code x-echo-hop} adds hop-by-hop headers
 * to it; every answer carries {@code x-backend: echo} and two {@code set-cookie} headers.
 */
public final class EchoBackend implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();

    private EchoBackend(Vertx vertx) {
        server = vertx.createHttpServer().requestHandler(this::answer);
    }

    public static EchoBackend start(Vertx vertx) {
        EchoBackend backend = new EchoBackend(vertx);
        Await.result(backend.server.listen(0, "127.0.0.1"));
        return backend;
    }

    public String url(String basePath) {
        return "http://127.0.0.1:" + server.actualPort() + basePath;
    }

    public int calls() {
        return calls.get();
    }

    private void answer(HttpServerRequest request) {
        calls.incrementAndGet();
        if (request.path().endsWith("/slow")) {
            return;
        }
        if (request.path().endsWith("/stall")) {
            request.response().setChunked(true).putHeader("x-backend", "echo").write("the first half");
            return;
        }
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long[] length = {0};
        request.handler(chunk -> {
            sha256.update(chunk.getBytes());
            length[0] += chunk.length();
        });
        request.endHandler(end -> {
            JsonObject headers = new JsonObject();
            request.headers().forEach(header -> {
                String name = header.getKey().toLowerCase(java.util.Locale.ROOT);
                JsonArray values = headers.getJsonArray(name, new JsonArray());
                headers.put(name, values.add(header.getValue()));
            });
            JsonObject echo = new JsonObject()
                    .put("method", request.method().name())
                    .put("uri", request.uri())
                    .put("path", request.path())
                    .put("query", request.query())
                    .put("headers", headers)
                    .put("bodyLength", length[0])
                    .put("bodySha256", HexFormat.of().formatHex(sha256.digest()));
            String status = request.getHeader("x-echo-status");
            HttpServerResponse response = request.response()
                    .setStatusCode(status == null ? 200 : Integer.parseInt(status))
                    .putHeader("Content-Type", "application/json")
                    .putHeader("x-backend", "echo");
            response.headers().add("set-cookie", "a=1").add("set-cookie", "b=2");
            if (request.getHeader("x-echo-hop") != null) {
                response.headers().add("keep-alive", "timeout=5").add("connection", "x-backend-hop")
                        .add("x-backend-hop", "secret").add("proxy-authenticate", "Basic");
            }
            response.end(Buffer.buffer(echo.encode()));
        });
    }

    @Override
    public void close() {
        Await.result(server.close());
    }
}
