package dev.gatehouse.gateway.testing;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An identity provider's JWKS endpoint under test control: serves key sets by path and counts fetches. */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> bodies = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    private JwksServer(Vertx vertx) {
        server = vertx.createHttpServer().requestHandler(request -> {
            String path = request.path();
            fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Integer failure = failures.get(path);
            String body = bodies.get(path);
            if (failure != null) {
                request.response().setStatusCode(failure).end();
            } else if (body == null) {
                request.response().setStatusCode(404).end();
            } else {
                request.response().putHeader("Content-Type", "application/jwk-set+json").end(body);
            }
        });
    }

    public static JwksServer start(Vertx vertx) {
        JwksServer jwks = new JwksServer(vertx);
        Await.result(jwks.server.listen(0, "127.0.0.1"));
        return jwks;
    }

    public String uri(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    /** Serves the public parts of {@code keys} at {@code path} from now on. */
    public void publish(String path, JWK... keys) {
        bodies.put(path, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
        failures.remove(path);
    }

    public void publishRaw(String path, String body) {
        bodies.put(path, body);
        failures.remove(path);
    }

    public void fail(String path, int status) {
        failures.put(path, status);
    }

    public int fetches(String path) {
        AtomicInteger count = fetches.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        Await.result(server.close());
    }
}
