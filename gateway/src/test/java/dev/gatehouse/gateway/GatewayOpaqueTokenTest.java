package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.ratelimit.LocalRateLimiter;
import dev.gatehouse.gateway.security.HttpOpaqueTokenResolver;
import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.Caller;
import dev.gatehouse.gateway.testing.EchoBackend;
import dev.gatehouse.gateway.testing.EventLoops;
import dev.gatehouse.gateway.testing.JwksServer;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.identity.OpaqueAccessTokens;
import dev.gatehouse.model.testing.TestClock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway that resolves opaque tokens through the control plane, over real sockets: a token the control plane
 * does not know is refused with 401 {@code invalid_token}; while the control plane cannot be asked, the call is
 * refused with 503, as an outage and not as a fault of the caller's token.
 */
class GatewayOpaqueTokenTest {

    private static final String ORDERS = "/acme/orders/v1/orders";
    private static final String OPAQUE = OpaqueAccessTokens.PREFIX + "A".repeat(43);

    private EventLoops eventLoops;
    private Vertx vertx;
    private JwksServer jwks;
    private EchoBackend backend;
    private WebClient client;
    private HttpServer controlPlane;
    private Gateway gateway;
    private Caller caller;

    @BeforeEach
    void start() {
        eventLoops = EventLoops.watched();
        vertx = eventLoops.vertx();
        jwks = JwksServer.start(vertx);
        backend = EchoBackend.start(vertx);
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stop() {
        caller.close();
        Await.result(gateway.stop());
        if (controlPlane != null) {
            Await.result(controlPlane.close());
        }
        client.close();
        backend.close();
        jwks.close();
        eventLoops.close();
    }

    private void startGateway(String controlPlaneUrl) {
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        gateway = new Gateway(vertx, TestWorld.config(Environment.PRODUCTION), clock,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), new LocalRateLimiter(clock), null,
                new HttpOpaqueTokenResolver(client, controlPlaneUrl, Environment.PRODUCTION,
                        "gateway-token-of-this-test-0123456789", Duration.ofSeconds(2)));
        caller = new Caller(vertx, Await.result(gateway.start()));
        gateway.apply(TestWorld.snapshot(1, Environment.PRODUCTION, jwks::uri, backend.url("/svc"),
                "http://127.0.0.1:1"));
    }

    @Test
    void whileTheControlPlaneCannotBeAsked_anOpaqueTokenIsRefusedWith503() {
        HttpServer away = Await.result(vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1"));
        int port = away.actualPort();
        Await.result(away.close());
        startGateway("http://127.0.0.1:" + port);

        Caller.Response call = caller.get(ORDERS, OPAQUE);

        assertThat(call.status()).isEqualTo(503);
        assertThat(call.json().getString("type")).isEqualTo("urn:gatehouse:problem:token_resolution_unavailable");
        assertThat(call.json().getString("detail")).contains("cannot be asked");
        assertThat(call.header("WWW-Authenticate")).isNull();
    }

    @Test
    void anOpaqueTokenTheControlPlaneDoesNotKnow_isRefusedWith401() {
        controlPlane = Await.result(vertx.createHttpServer()
                .requestHandler(request -> request.response().setStatusCode(404).end())
                .listen(0, "127.0.0.1"));
        startGateway("http://127.0.0.1:" + controlPlane.actualPort());

        Caller.Response call = caller.get(ORDERS, OPAQUE);

        assertThat(call.status()).isEqualTo(401);
        assertThat(call.header("WWW-Authenticate")).contains("invalid_token");
    }
}
