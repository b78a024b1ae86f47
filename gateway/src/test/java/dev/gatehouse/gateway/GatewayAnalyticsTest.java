package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.TestWorld.ACME_ISSUER;
import static dev.gatehouse.gateway.TestWorld.ACME_KEY;
import static dev.gatehouse.gateway.TestWorld.READ;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.gateway.analytics.AnalyticsShipping;
import dev.gatehouse.gateway.ratelimit.LocalRateLimiter;
import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.Caller;
import dev.gatehouse.gateway.testing.EchoBackend;
import dev.gatehouse.gateway.testing.EventLoops;
import dev.gatehouse.gateway.testing.JwksServer;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.analytics.AnalyticsBatch;
import dev.gatehouse.model.analytics.CallMinute;
import dev.gatehouse.model.analytics.LatencyBuckets;
import dev.gatehouse.model.testing.TestClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A gateway's analytics over real sockets: every call counted per minute, resource, application and status class,
 * shipped to a sink every interval; while the sink refuses, kept in a bounded buffer whose overflow is counted.
 */
class GatewayAnalyticsTest {

    private static final String ORDERS = "/acme/orders/v1/orders";
    private static final Duration INTERVAL = Duration.ofMillis(50);

    private EventLoops eventLoops;
    private Vertx vertx;
    private JwksServer jwks;
    private EchoBackend backend;
    private TestClock clock;
    private Gateway gateway;
    private Caller caller;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AnalyticsBatch> shipped = new CopyOnWriteArrayList<>();
    private final AtomicBoolean sinkUp = new AtomicBoolean(true);

    @BeforeEach
    void start() {
        eventLoops = EventLoops.watched();
        vertx = eventLoops.vertx();
        jwks = JwksServer.start(vertx);
        jwks.publish("/acme", ACME_KEY);
        backend = EchoBackend.start(vertx);
        clock = new TestClock(Instant.parse("2026-03-01T10:00:30Z"));
    }

    private void startGateway(int maxBufferedMinutes) {
        startGateway(maxBufferedMinutes, INTERVAL);
    }

    private void startGateway(int maxBufferedMinutes, Duration interval) {
        AnalyticsShipping shipping = new AnalyticsShipping(batch -> {
            if (!sinkUp.get()) {
                return Future.failedFuture("the control plane is away");
            }
            shipped.add(batch);
            return Future.succeededFuture();
        }, "gw-test", interval, maxBufferedMinutes);
        gateway = new Gateway(vertx, TestWorld.config(Environment.PRODUCTION), clock, meters,
                new LocalRateLimiter(clock), shipping);
        caller = new Caller(vertx, Await.result(gateway.start()));
        gateway.apply(TestWorld.snapshot(1, Environment.PRODUCTION, jwks::uri, backend.url("/svc"),
                "http://127.0.0.1:1"));
    }

    @AfterEach
    void stop() {
        caller.close();
        if (gateway != null) {
            Await.result(gateway.stop());
        }
        backend.close();
        jwks.close();
        eventLoops.close();
    }

    private String token(String clientId) {
        return Tokens.sign(ACME_KEY, Tokens.claims(clock, ACME_ISSUER, clientId, READ).build());
    }

    private List<CallMinute> shippedMinutes() {
        return shipped.stream().flatMap(batch -> batch.minutes().stream()).toList();
    }

    private long callsCounted() {
        return meters.find("gatehouse.gateway.requests").timers().stream().mapToLong(Timer::count).sum();
    }

    private double meter(String name) {
        return meters.find(name).tags("environment", "production").meter().measure().iterator().next().getValue();
    }

    @Test
    void everyRoutedCall_isCountedByMinuteResourceApplicationAndStatusClass_andShipped() {
        startGateway(1000);
        String allowed = token("prod-client");
        for (int i = 0; i < 3; i++) {
            assertThat(caller.get(ORDERS + "/" + i, allowed).status()).isEqualTo(200);
        }
        assertThat(caller.get(ORDERS, token("unsubscribed-client")).status()).isEqualTo(403);
        assertThat(caller.get("/acme/nowhere/v1/x", allowed).status()).isEqualTo(404);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(shippedMinutes().stream().mapToLong(CallMinute::requests).sum()).isEqualTo(4));
        List<CallMinute> minutes = shippedMinutes();
        CallMinute ok = minutes.stream().filter(m -> m.statusClass().equals("2xx")).findFirst().orElseThrow();
        assertThat(ok.minute()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(ok.orgHandle()).isEqualTo("acme");
        assertThat(ok.apiId()).isEqualTo("api-orders");
        assertThat(ok.resource()).isEqualTo("GET /orders/{id}");
        assertThat(ok.applicationId()).isEqualTo("app-prod");
        List<CallMinute> allowedRows = minutes.stream().filter(m -> m.statusClass().equals("2xx")).toList();
        // Calls collected in different intervals come as several rows of the same minute; they add up.
        assertThat(allowedRows.stream().mapToLong(CallMinute::requests).sum()).isEqualTo(3);
        assertThat(allowedRows.stream().flatMap(m -> m.latencyBuckets().stream()).mapToLong(Long::longValue).sum())
                .isEqualTo(3);
        assertThat(ok.latencyBuckets()).hasSize(LatencyBuckets.COUNT);
        CallMinute refused = minutes.stream().filter(m -> m.statusClass().equals("4xx")).findFirst().orElseThrow();
        assertThat(refused.resource()).isEqualTo("GET /orders");
        assertThat(refused.applicationId()).isEmpty();
        assertThat(refused.requests()).isEqualTo(1);
        assertThat(shipped).allSatisfy(batch -> {
            assertThat(batch.gatewayId()).isEqualTo("gw-test");
            assertThat(batch.environment()).isEqualTo(Environment.PRODUCTION);
        });
    }

    @Test
    void callsOfANewMinute_areCountedInThatMinute() {
        startGateway(1000);
        String allowed = token("prod-client");
        long counted = callsCounted();
        assertThat(caller.get(ORDERS, allowed).status()).isEqualTo(200);
        // A call is counted once its answer has ended on the gateway's side, which may follow its arrival here.
        await().until(() -> callsCounted() == counted + 1);
        clock.advance(Duration.ofMinutes(1));
        assertThat(caller.get(ORDERS, allowed).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(shippedMinutes())
                .extracting(CallMinute::minute)
                .containsExactlyInAnyOrder(Instant.parse("2026-03-01T10:00:00Z"),
                        Instant.parse("2026-03-01T10:01:00Z")));
    }

    @Test
    void whileTheSinkRefuses_theBufferKeepsTheNewestRows_countsTheDroppedCalls_andShipsTheRestLater() {
        sinkUp.set(false);
        startGateway(2);
        String allowed = token("prod-client");
        for (int call = 1; call <= 5; call++) {
            assertThat(caller.get(ORDERS + "/" + call, allowed).status()).isEqualTo(200);
            int made = call;
            // Each call's row is collected before the next call: one batch per call.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    meter("gatehouse.gateway.analytics.dropped") + meter("gatehouse.gateway.analytics.buffered"))
                    .isEqualTo(made));
        }

        assertThat(meter("gatehouse.gateway.analytics.dropped")).isEqualTo(3);
        assertThat(meter("gatehouse.gateway.analytics.buffered")).isEqualTo(2);
        assertThat(meters.scrape()).contains("gatehouse_gateway_analytics_dropped_total{environment=\"production\"} 3.0");
        assertThat(shipped).isEmpty();

        sinkUp.set(true);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(meter("gatehouse.gateway.analytics.buffered")).isZero();
            assertThat(shippedMinutes().stream().mapToLong(CallMinute::requests).sum()).isEqualTo(2);
        });
        assertThat(shipped).hasSize(2);
    }

    @Test
    void aStoppingGateway_shipsWhatItCountedSinceTheLastInterval() {
        startGateway(1000, Duration.ofHours(1));
        assertThat(caller.get(ORDERS, token("prod-client")).status()).isEqualTo(200);
        assertThat(caller.get(ORDERS, token("prod-client")).status()).isEqualTo(200);
        assertThat(shipped).isEmpty();

        Await.result(gateway.stop());
        gateway = null;

        assertThat(shippedMinutes()).hasSize(1);
        assertThat(shippedMinutes().getFirst().requests()).isEqualTo(2);
    }
}
