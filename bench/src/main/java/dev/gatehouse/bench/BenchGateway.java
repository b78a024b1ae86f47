package dev.gatehouse.bench;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.analytics.AnalyticsShipping;
import dev.gatehouse.gateway.ratelimit.LocalRateLimiter;
import dev.gatehouse.model.Environment;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The gateway the load harness ({@code bench/run.sh}) drives: one production gateway serving {@link BenchWorld}'s
 * snapshot, whose issuer's key set this process publishes on a loopback port of its own, recording its metrics in a
 * Prometheus registry and its analytics as the server does, shipped every 10 s to a sink that drops them (the access
 * log is off: bench/ logs warnings only). Writes a valid RS256
 * token for the benchmarked resource to a file, then prints {@code ready} and serves until killed. Like the
 * {@code gatehouse} server, it runs Vert.x on Linux epoll where it can.
 *
 * <p>Usage: {@code BenchGateway <gateway port> <backend URL> <token file>}
 */
public final class BenchGateway {

    private BenchGateway() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: BenchGateway <gateway port> <backend URL> <token file>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        String backendUrl = args[1];
        Path tokenFile = Path.of(args[2]);

        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        RSAKey key = BenchWorld.newKey();
        String jwks = new JWKSet(key.toPublicJWK()).toString();
        HttpServer keys = vertx.createHttpServer()
                .requestHandler(request -> request.response()
                        .putHeader("Content-Type", "application/jwk-set+json").end(jwks))
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);

        GatewayConfig defaults = GatewayConfig.defaults(Environment.PRODUCTION, port);
        GatewayConfig config = new GatewayConfig(defaults.environment(), "127.0.0.1", port,
                defaults.backendConnectTimeout(), defaults.backendResponseTimeout(), defaults.jwksMinRefreshInterval(),
                defaults.jwksFetchTimeout(), defaults.allowedAlgorithms(), defaults.clockSkew(), defaults.limits());
        Clock clock = Clock.systemUTC();
        AnalyticsShipping analytics = new AnalyticsShipping(batch -> Future.succeededFuture(), "bench",
                Duration.ofSeconds(10), 100_000);
        Gateway gateway = new Gateway(vertx, config, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new LocalRateLimiter(clock), analytics);
        gateway.apply(BenchWorld.snapshot("http://127.0.0.1:" + keys.actualPort() + "/jwks", backendUrl));
        gateway.start().await(10, TimeUnit.SECONDS);

        writeToken(tokenFile, BenchWorld.token(key, Clock.systemUTC().instant(), Duration.ofHours(4), "load"));
        System.out.println("ready (transport: " + (vertx.isNativeTransportEnabled() ? "epoll" : "nio") + ")");
    }

    private static void writeToken(Path file, String token) throws IOException {
        Files.writeString(file, token, StandardCharsets.US_ASCII);
    }
}
