package dev.gatehouse.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A visitor's expired access token is renewed once per refresh token, however many of their requests ask at once
 * or come later with the session from before: the provider, which rotates refresh tokens and revokes a family on
 * reuse, sees the token spent once. The provider is a stand-in token endpoint on a real socket.
 */
class TokenRenewalTest {

    private HttpServer provider;
    private final AtomicInteger refreshes = new AtomicInteger();
    private SignIn signIn;

    @BeforeEach
    void start() throws IOException {
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/t/acme/oauth2/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String body;
            int status;
            if (form.contains("refresh_token=rt-1")) {
                int n = refreshes.incrementAndGet();
                sleep(200);
                status = 200;
                body = "{\"access_token\":\"renewed-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                        + "\"refresh_token\":\"rt-2\"}";
            } else {
                status = 400;
                body = "{\"error\":\"invalid_grant\"}";
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        provider.start();
        String url = "http://127.0.0.1:" + provider.getAddress().getPort();
        signIn = new SignIn(new WebUiConfig(url, url, Map.of(), new byte[32]), null, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        provider.stop(0);
    }

    private static Visitor expired(String refreshToken) {
        return new Visitor("acme", "ada", List.of("admin"), "old", Instant.now().minusSeconds(1), refreshToken, "id");
    }

    @Test
    void requestsTogether_andLater_shareOneRenewal() throws Exception {
        List<Future<Visitor>> results = new ArrayList<>();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 8; i++) {
                results.add(requests.submit(() -> signIn.fresh(expired("rt-1"))));
            }
        }
        for (Future<Visitor> result : results) {
            assertThat(result.get().accessToken()).isEqualTo("renewed-1");
            assertThat(result.get().refreshToken()).isEqualTo("rt-2");
        }
        assertThat(signIn.fresh(expired("rt-1")).accessToken()).isEqualTo("renewed-1");
        assertThat(refreshes).hasValue(1);
    }

    @Test
    void aRefusedRenewal_meansSigningInAgain_andAValidTokenIsKept() {
        assertThat(signIn.fresh(expired("rt-revoked"))).isNull();
        Visitor valid = new Visitor("acme", "ada", List.of(), "current", Instant.now().plusSeconds(600), "rt-1", "id");
        assertThat(signIn.fresh(valid)).isSameAs(valid);
        assertThat(refreshes).hasValue(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
