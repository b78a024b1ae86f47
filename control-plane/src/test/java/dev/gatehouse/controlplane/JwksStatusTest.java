package dev.gatehouse.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.model.ClaimMapping;
import dev.gatehouse.model.IdentityProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Key-set checks against real HTTP servers: concurrent reads of a stale provider fetch its key set once, and a
 * provider whose JWKS URI hangs does not hold up the check of another.
 */
class JwksStatusTest {

    private final JwksStatus status = new JwksStatus(Clock.systemUTC());
    private final AtomicInteger fetches = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private String keys;

    @BeforeEach
    void start() throws Exception {
        keys = new JWKSet(new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK()).toString();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/slow", exchange -> {
            fetches.incrementAndGet();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange);
        });
        server.createContext("/fast", this::answer);
        server.start();
    }

    private void answer(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
        byte[] body = keys.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private IdentityProvider provider(String id, String path) {
        return new IdentityProvider(id, "org", id, IdentityProvider.Kind.EXTERNAL, "https://" + id + ".example",
                "http://127.0.0.1:" + server.getAddress().getPort() + path, null, null, ClaimMapping.DEFAULT, null,
                Instant.now());
    }

    @Test
    void concurrentReadsOfAStaleProvider_fetchOnce_andAnotherProviderIsNotHeldUp() throws Exception {
        IdentityProvider slow = provider("slow", "/slow");
        List<Future<JwksStatus.Check>> reads = new ArrayList<>();
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                reads.add(readers.submit(() -> status.current(slow)));
            }
            Awaitility.await().until(() -> fetches.get() == 1);
            JwksStatus.Check other = status.current(provider("fast", "/fast"));
            assertThat(other.status()).isEqualTo("ok");
            assertThat(reads).noneMatch(Future::isDone);
            release.countDown();
        }

        assertThat(reads).allSatisfy(read -> assertThat(read.resultNow().status()).isEqualTo("ok"));
        assertThat(fetches.get()).isEqualTo(1);
    }
}
