package dev.gatehouse.gateway.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

/**
 * A blocking HTTP client for tests, over a real socket to the gateway. Each exchange runs on one Vert.x context,
 * so response handlers are in place before the response arrives.
 */
public final class Caller implements AutoCloseable {

    private final HttpClient client;
    private final Context context;
    private final int port;

    public Caller(Vertx vertx, int port) {
        this(vertx, port, new HttpClientOptions().setKeepAlive(true));
    }

    public Caller(Vertx vertx, int port, HttpClientOptions options) {
        this.client = vertx.createHttpClient(options);
        this.context = vertx.getOrCreateContext();
        this.port = port;
    }

    public int port() {
        return port;
    }

    public record Response(int status, MultiMap headers, Buffer body) {

        public JsonObject json() {
            return body.toJsonObject();
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    public Response get(String uri, String bearerToken) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        if (bearerToken != null) {
            headers.set("Authorization", "Bearer " + bearerToken);
        }
        return call(HttpMethod.GET, uri, headers, null);
    }

    public Response call(HttpMethod method, String uri, MultiMap headers, Buffer body) {
        return Await.result(send(method, uri, headers, body));
    }

    public Future<Response> send(HttpMethod method, String uri, MultiMap headers, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port)
                .setURI(uri).setHeaders(headers);
        return onContext(() -> client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(content -> toResponse(response, content))));
    }

    /** Sends {@code chunks} pieces of {@code chunk} with chunked transfer encoding. */
    public Response postChunked(String uri, MultiMap headers, Buffer chunk, int chunks) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(uri).setHeaders(headers);
        return Await.result(onContext(() -> client.request(options).compose(request -> {
            request.setChunked(true);
            for (int i = 0; i < chunks; i++) {
                request.write(chunk);
            }
            request.end();
            return request.response();
        }).compose(response -> response.body().map(content -> toResponse(response, content)))));
    }

    /** What came back for a request that held its body back until {@code 100 Continue}. */
    public record ContinueExchange(boolean continued, Response response) {
    }

    /** Sends the head with {@code Expect: 100-continue}, and the body only if the gateway says continue. */
    public ContinueExchange postExpectingContinue(String uri, MultiMap headers, Buffer body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                .setURI(uri).setHeaders(headers);
        java.util.concurrent.atomic.AtomicBoolean continued = new java.util.concurrent.atomic.AtomicBoolean();
        Response response = Await.result(onContext(() -> client.request(options).compose(request -> {
            request.exceptionHandler(closedBeforeTheBodyWasSent -> { });
            request.putHeader("Expect", "100-continue");
            request.putHeader("Content-Length", String.valueOf(body.length()));
            request.continueHandler(go -> {
                continued.set(true);
                request.end(body);
            });
            request.sendHead();
            return request.response();
        }).compose(answer -> answer.body().map(content -> toResponse(answer, content)))));
        return new ContinueExchange(continued.get(), response);
    }

    private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> exchange) {
        Promise<T> result = Promise.promise();
        context.runOnContext(start -> exchange.get().onComplete(result));
        return result.future();
    }

    private static Response toResponse(HttpClientResponse response, Buffer content) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(response.headers());
        return new Response(response.statusCode(), headers, content);
    }

    @Override
    public void close() {
        Await.result(client.close());
    }
}
