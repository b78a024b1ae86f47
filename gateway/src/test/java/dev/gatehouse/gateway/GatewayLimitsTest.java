package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.Caller;
import dev.gatehouse.gateway.testing.EventLoops;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.testing.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway with tight {@link GatewayConfig.Limits}: request lines of at most 1 KiB, 4 KiB of headers and 500 ms of
 * idleness. Oversized requests are refused before any decision; connections that go quiet, whether idle or stalled
 * midway through a request (a slowloris caller), are closed.
 */
class GatewayLimitsTest {

    private static final GatewayConfig.Limits TIGHT = new GatewayConfig.Limits(1024, 4096, Duration.ofMillis(500));

    private static EventLoops eventLoops;
    private static Gateway gateway;
    private static Caller caller;
    private static NetClient sockets;

    @BeforeAll
    static void start() {
        eventLoops = EventLoops.watched();
        GatewayConfig base = TestWorld.config(Environment.PRODUCTION);
        GatewayConfig tight = new GatewayConfig(base.environment(), base.host(), base.port(),
                base.backendConnectTimeout(), base.backendResponseTimeout(), base.jwksMinRefreshInterval(),
                base.jwksFetchTimeout(), base.allowedAlgorithms(), base.clockSkew(), TIGHT);
        gateway = new Gateway(eventLoops.vertx(), tight, new TestClock(TestClock.START), new SimpleMeterRegistry());
        // a fresh connection per call: the gateway closes idle ones after 500 ms, which a pooled client might reuse
        caller = new Caller(eventLoops.vertx(), Await.result(gateway.start()),
                new HttpClientOptions().setKeepAlive(false));
        sockets = eventLoops.vertx().createNetClient();
    }

    @AfterAll
    static void stop() {
        Await.result(sockets.close());
        caller.close();
        Await.result(gateway.stop());
        List<String> blocked = eventLoops.blockedThreadWarnings();
        eventLoops.close();
        assertThat(blocked).as("event loops blocked longer than %d ms", EventLoops.MAX_EVENT_LOOP_MILLIS).isEmpty();
    }

    @Test
    void requestLineOverTheLimit_isAnswered414() {
        assertThat(caller.get("/acme/orders/v1/orders/" + "x".repeat(1100), null).status()).isEqualTo(414);
    }

    @Test
    void headersOverTheLimit_areAnswered431() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Padding", "p".repeat(5000));

        assertThat(caller.call(HttpMethod.GET, "/acme/orders/v1/orders", headers, null).status()).isEqualTo(431);
    }

    @Test
    void requestsWithinTheLimits_areDecidedAsUsual() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Padding", "p".repeat(2000));

        assertThat(caller.call(HttpMethod.GET, "/acme/nothing/v1/here", headers, null).status()).isEqualTo(404);
    }

    @Test
    void connectionThatNeverSendsARequest_isClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        NetSocket socket = Await.result(sockets.connect(caller.port(), "127.0.0.1"));
        socket.closeHandler(done -> closed.set(true));

        await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
    }

    @Test
    void slowlorisCallerStallingMidHeaders_isClosedWithoutAnAnswer() {
        AtomicBoolean closed = new AtomicBoolean();
        Buffer received = Buffer.buffer();
        NetSocket socket = Await.result(sockets.connect(caller.port(), "127.0.0.1"));
        socket.handler(received::appendBuffer);
        socket.closeHandler(done -> closed.set(true));

        Await.result(socket.write("GET /acme/orders/v1/orders HTTP/1.1\r\nHost: gateway\r\nX-Slow: a"));

        await().atMost(Duration.ofSeconds(5)).untilTrue(closed);
        assertThat(received.length()).isZero();
    }
}
