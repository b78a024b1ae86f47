package dev.gatehouse.gateway;

import static dev.gatehouse.gateway.TestWorld.ACME_AUD_ISSUER;
import static dev.gatehouse.gateway.TestWorld.ACME_EC_KEY;
import static dev.gatehouse.gateway.TestWorld.ACME_ISSUER;
import static dev.gatehouse.gateway.TestWorld.ACME_KEY;
import static dev.gatehouse.gateway.TestWorld.ACME_SCP_ISSUER;
import static dev.gatehouse.gateway.TestWorld.ADMIN;
import static dev.gatehouse.gateway.TestWorld.AUDIENCE;
import static dev.gatehouse.gateway.TestWorld.CORS_ORIGIN;
import static dev.gatehouse.gateway.TestWorld.GLOBEX_ISSUER;
import static dev.gatehouse.gateway.TestWorld.GLOBEX_KEY;
import static dev.gatehouse.gateway.TestWorld.READ;
import static dev.gatehouse.gateway.TestWorld.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.Caller.Response;
import dev.gatehouse.gateway.testing.Caller;
import dev.gatehouse.gateway.testing.EchoBackend;
import dev.gatehouse.gateway.testing.EventLoops;
import dev.gatehouse.gateway.testing.JwksServer;
import dev.gatehouse.gateway.testing.Tokens;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.KeyType;
import dev.gatehouse.model.RateLimit;
import dev.gatehouse.model.consumer.ApiKey;
import dev.gatehouse.model.snapshot.ApiKeyBinding;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RevokedToken;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import dev.gatehouse.model.testing.TestClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The production gateway over real sockets: an echo backend, a JWKS endpoint and the gateway all listen on
 * ephemeral ports; every refusal of the decision order is checked with its exact status, problem and challenge.
 */
class GatewayHttpTest {

    private static final String ORDERS = "/acme/orders/v1/orders";

    private static EventLoops eventLoops;
    private static Vertx vertx;
    private static JwksServer jwks;
    private static EchoBackend backend;
    private static TestClock clock;
    private static Gateway gateway;
    private static Caller caller;
    private static String unreachableBackend;
    private static final AtomicLong versions = new AtomicLong();
    private static final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeAll
    static void start() {
        eventLoops = EventLoops.watched();
        vertx = eventLoops.vertx();
        jwks = JwksServer.start(vertx);
        jwks.publish("/acme", ACME_KEY, ACME_EC_KEY);
        jwks.publish("/globex", GLOBEX_KEY);
        jwks.publish("/attacker", Tokens.rsaKey("attacker"));
        backend = EchoBackend.start(vertx);
        HttpServer closed = Await.result(vertx.createHttpServer().requestHandler(r -> { }).listen(0, "127.0.0.1"));
        unreachableBackend = "http://127.0.0.1:" + closed.actualPort();
        Await.result(closed.close());
        clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        gateway = new Gateway(vertx, TestWorld.config(Environment.PRODUCTION), clock, meters);
        caller = new Caller(vertx, Await.result(gateway.start()));
    }

    @AfterAll
    static void stop() {
        caller.close();
        Await.result(gateway.stop());
        backend.close();
        jwks.close();
        List<String> blocked = eventLoops.blockedThreadWarnings();
        eventLoops.close();
        assertThat(blocked).as("event loops blocked longer than %d ms", EventLoops.MAX_EVENT_LOOP_MILLIS).isEmpty();
    }

    @BeforeEach
    void applyTheBaselineSnapshot() {
        gateway.apply(snapshot());
    }

    private static GatewaySnapshot snapshot() {
        return TestWorld.snapshot(versions.incrementAndGet(), Environment.PRODUCTION, jwks::uri,
                backend.url("/svc"), unreachableBackend);
    }

    private static JWTClaimsSet.Builder claims(String clientId, String scope) {
        return Tokens.claims(clock, ACME_ISSUER, clientId, scope);
    }

    private static String token(String clientId, String scope) {
        return Tokens.sign(ACME_KEY, claims(clientId, scope).build());
    }

    private static String readToken() {
        return token("prod-client", READ);
    }

    private static void assertProblem(Response response, int status, String code, String check, String detail) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        JsonObject problem = response.json();
        assertThat(problem.getString("type")).isEqualTo("urn:gatehouse:problem:" + code);
        assertThat(problem.getInteger("status")).isEqualTo(status);
        assertThat(problem.getString("check")).isEqualTo(check);
        assertThat(problem.getString("detail")).isEqualTo(detail);
        assertThat(problem.fieldNames()).containsExactly("type", "title", "status", "detail", "check");
    }

    private static void assertInvalidToken(Response response, String check, String detail) {
        assertProblem(response, 401, "invalid_token", check, detail);
        assertThat(response.header("WWW-Authenticate")).isEqualTo(
                "Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"" + detail + "\"");
    }

    // --- the successful call -----------------------------------------------------------------------------------

    @Test
    void allowedCall_isForwardedWithPathQueryAndHeaders_andTheAnswerComesBackUnchanged() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + readToken())
                .add("X-Request-Tag", "one")
                .add("X-Request-Tag", "two")
                .add("X-Echo-Status", "203");

        Response response = caller.call(HttpMethod.GET, ORDERS + "/42?expand=items&sort=-date", headers, null);

        assertThat(response.status()).isEqualTo(203);
        assertThat(response.header("x-backend")).isEqualTo("echo");
        assertThat(response.headers().getAll("set-cookie")).containsExactly("a=1", "b=2");
        assertThat(response.header("content-type")).isEqualTo("application/json");
        JsonObject echo = response.json();
        assertThat(echo.getString("method")).isEqualTo("GET");
        assertThat(echo.getString("uri")).isEqualTo("/svc/orders/42?expand=items&sort=-date");
        JsonObject forwarded = echo.getJsonObject("headers");
        assertThat(forwarded.containsKey("authorization")).isFalse();
        assertThat(forwarded.getJsonArray("x-request-tag")).isEqualTo(new JsonArray().add("one").add("two"));
        assertThat(forwarded.getJsonArray("x-forwarded-for")).isEqualTo(new JsonArray().add("127.0.0.1"));
        assertThat(forwarded.getJsonArray("x-forwarded-proto")).isEqualTo(new JsonArray().add("http"));
        assertThat(forwarded.getJsonArray("x-forwarded-host").getString(0))
                .isEqualTo("127.0.0.1:" + caller.port());
        assertThat(forwarded.getJsonArray("host").getString(0)).isEqualTo(URI.create(backend.url("")).getAuthority());
        assertThat(forwarded.getJsonArray("forwarded")).isEqualTo(new JsonArray()
                .add("for=127.0.0.1;host=\"127.0.0.1:" + caller.port() + "\";proto=http"));
    }

    // --- metrics, request IDs, trace context, access log -------------------------------------------------------

    private static double calls(String resource, String application, String status) {
        Timer timer = meters.find("gatehouse.gateway.requests").tags("environment", "production", "api", "api-orders",
                "resource", resource, "application", application, "status", status).timer();
        return timer == null ? 0 : timer.count();
    }

    private static double refusals(String reason, String check) {
        Counter counter = meters.find("gatehouse.gateway.refusals")
                .tags("environment", "production", "reason", reason, "check", check).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void everyCall_isTimedByApiResourceApplicationAndStatusClass() {
        double allowed = calls("GET /orders/{id}", "app-prod", "2xx");
        double withoutToken = calls("GET /orders/{id}", "none", "4xx");
        double missingToken = refusals("missing_token", "credential");

        assertThat(caller.get(ORDERS + "/7", readToken()).status()).isEqualTo(200);
        assertThat(caller.get(ORDERS + "/7", null).status()).isEqualTo(401);

        await().untilAsserted(() -> {
            assertThat(calls("GET /orders/{id}", "app-prod", "2xx")).isEqualTo(allowed + 1);
            assertThat(calls("GET /orders/{id}", "none", "4xx")).isEqualTo(withoutToken + 1);
            assertThat(refusals("missing_token", "credential")).isEqualTo(missingToken + 1);
        });
        assertThat(meters.scrape()).contains("gatehouse_gateway_requests_seconds_bucket{api=\"api-orders\","
                + "application=\"app-prod\",environment=\"production\",resource=\"GET /orders/{id}\",status=\"2xx\",le=");
    }

    @Test
    void theGatewayListensOnAnEventLoopPerCpu_andServesEveryConnection() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(meters.get("gatehouse.gateway.listeners").tags("environment", "production").gauge().value())
                .isEqualTo(cpus);

        for (int connection = 0; connection < 2 * cpus + 1; connection++) {
            try (Caller own = new Caller(vertx, caller.port())) {
                assertThat(own.get(ORDERS + "/" + connection, readToken()).status()).isEqualTo(200);
            }
        }
    }

    @Test
    void refusalAfterRouting_isCountedForTheApiAndResource_andBackendFailuresToo() {
        double unsubscribed = calls("GET /orders", "none", "4xx");
        double unreachable = refusals("backend_unavailable", "backend");

        assertThat(caller.get(ORDERS, token("unsubscribed-client", READ)).status()).isEqualTo(403);
        assertThat(caller.get("/acme/down/v1/items", readToken()).status()).isEqualTo(502);

        await().untilAsserted(() -> {
            assertThat(calls("GET /orders", "none", "4xx")).isEqualTo(unsubscribed + 1);
            assertThat(refusals("backend_unavailable", "backend")).isEqualTo(unreachable + 1);
        });
    }

    @Test
    void saneRequestIdAndTraceparent_ofTheCaller_areKeptAndForwarded() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + readToken())
                .add("X-Request-ID", "req-42.a:b")
                .add("traceparent", traceparent)
                .add("tracestate", "vendor=value");

        Response response = caller.call(HttpMethod.GET, ORDERS, headers, null);

        JsonObject forwarded = response.json().getJsonObject("headers");
        assertThat(forwarded.getJsonArray("x-request-id")).isEqualTo(new JsonArray().add("req-42.a:b"));
        assertThat(forwarded.getJsonArray("traceparent")).isEqualTo(new JsonArray().add(traceparent));
        assertThat(forwarded.getJsonArray("tracestate")).isEqualTo(new JsonArray().add("vendor=value"));
        assertThat(response.header("X-Request-ID")).isEqualTo("req-42.a:b");
    }

    @Test
    void missingOrMalformedRequestIdAndTraceparent_areReplacedByFreshOnes() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + readToken())
                .add("X-Request-ID", "has spaces <and> markup")
                .add("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");

        Response response = caller.call(HttpMethod.GET, ORDERS, headers, null);
        Response plain = caller.get(ORDERS, readToken());

        JsonObject forwarded = response.json().getJsonObject("headers");
        String requestId = forwarded.getJsonArray("x-request-id").getString(0);
        assertThat(requestId).matches("[0-9a-f]{32}");
        assertThat(response.header("X-Request-ID")).isEqualTo(requestId);
        assertThat(forwarded.getJsonArray("traceparent").getString(0))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01").doesNotContain("00000000000000000000000000000000");
        String plainRequestId = plain.json().getJsonObject("headers").getJsonArray("x-request-id").getString(0);
        assertThat(plainRequestId).matches("[0-9a-f]{32}").isNotEqualTo(requestId);
        assertThat(plain.json().getJsonObject("headers").getJsonArray("traceparent").getString(0))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void refusals_carryTheRequestIdToo() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Request-ID", "refused-1");

        assertThat(caller.call(HttpMethod.GET, ORDERS, headers, null).header("X-Request-ID")).isEqualTo("refused-1");
    }

    @Test
    void accessLog_writesOneJsonLinePerCall_withoutTheQueryString() {
        ch.qos.logback.classic.Logger access = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(
                "gatehouse.access");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        access.addAppender(lines);
        access.setLevel(Level.INFO);
        try {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                    .add("Authorization", "Bearer " + readToken())
                    .add("X-Request-ID", "logged-1");
            caller.call(HttpMethod.GET, ORDERS + "/9?secret=s3cr3t", headers, null);
            caller.call(HttpMethod.GET, ORDERS, MultiMap.caseInsensitiveMultiMap().add("X-Request-ID", "logged-2"),
                    null);

            await().untilAsserted(() -> assertThat(lines.list).hasSize(2));
        } finally {
            access.detachAppender(lines);
            access.setLevel(null);
        }
        JsonObject allowed = new JsonObject(lines.list.get(0).getFormattedMessage());
        assertThat(allowed.getString("request_id")).isEqualTo("logged-1");
        assertThat(allowed.getString("trace_id")).matches("[0-9a-f]{32}");
        assertThat(allowed.getString("environment")).isEqualTo("production");
        assertThat(allowed.getString("method")).isEqualTo("GET");
        assertThat(allowed.getString("path")).isEqualTo(ORDERS + "/9");
        assertThat(allowed.getInteger("status")).isEqualTo(200);
        assertThat(allowed.getString("api")).isEqualTo("api-orders");
        assertThat(allowed.getString("resource")).isEqualTo("GET /orders/{id}");
        assertThat(allowed.getString("application")).isEqualTo("app-prod");
        assertThat(allowed.getString("time")).isEqualTo(clock.instant().toString());
        assertThat(allowed.containsKey("duration_ms")).isTrue();
        assertThat(allowed.encode()).doesNotContain("s3cr3t");
        JsonObject refused = new JsonObject(lines.list.get(1).getFormattedMessage());
        assertThat(refused.getString("request_id")).isEqualTo("logged-2");
        assertThat(refused.getInteger("status")).isEqualTo(401);
        assertThat(refused.getString("refusal")).isEqualTo("missing_token");
        assertThat(refused.getString("check")).isEqualTo("credential");
        assertThat(refused.containsKey("application")).isFalse();
    }

    @Test
    void callersAuthorization_reachesTheBackend_onlyWhereTheApiAsksForIt() {
        String token = readToken();

        JsonObject kept = caller.get("/acme/passthrough/v1/items", token).json().getJsonObject("headers");
        JsonObject dropped = caller.get(ORDERS, token).json().getJsonObject("headers");

        assertThat(kept.getJsonArray("authorization")).isEqualTo(new JsonArray().add("Bearer " + token));
        assertThat(dropped.containsKey("authorization")).isFalse();
    }

    @Test
    void callersDpopHeader_reachesTheBackend_onlyWhereTheApiAsksForAuthorization() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + readToken())
                .add("DPoP", "a.proof.value");

        JsonObject kept = caller.call(HttpMethod.GET, "/acme/passthrough/v1/items", headers, null).json()
                .getJsonObject("headers");
        JsonObject dropped = caller.call(HttpMethod.GET, ORDERS, headers, null).json().getJsonObject("headers");

        assertThat(kept.getJsonArray("dpop")).isEqualTo(new JsonArray().add("a.proof.value"));
        assertThat(dropped.containsKey("dpop")).isFalse();
    }

    // --- CORS ------------------------------------------------------------------------------------------------

    private static MultiMap preflight(String origin, String method) {
        return MultiMap.caseInsensitiveMultiMap()
                .add("Origin", origin)
                .add("Access-Control-Request-Method", method)
                .add("Access-Control-Request-Headers", "authorization, content-type");
    }

    @Test
    void preflightFromAnAllowedOrigin_isAnsweredByTheGateway_withoutTokenOrBackend() {
        int backendCalls = backend.calls();

        Response response = caller.call(HttpMethod.OPTIONS, ORDERS + "/7", preflight(CORS_ORIGIN, "GET"), null);

        assertThat(response.status()).isEqualTo(204);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(CORS_ORIGIN);
        assertThat(response.header("Access-Control-Allow-Methods")).isEqualTo("GET");
        assertThat(response.header("Access-Control-Allow-Headers")).isEqualTo("authorization, content-type");
        assertThat(response.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(response.header("Access-Control-Allow-Credentials")).isNull();
        assertThat(backend.calls()).isEqualTo(backendCalls);
    }

    @Test
    void preflightFromAnotherOrigin_orForAMethodThePathLacks_isDecidedAsAnyCall() {
        Response otherOrigin = caller.call(HttpMethod.OPTIONS, ORDERS, preflight("https://evil.test", "GET"), null);
        Response otherMethod = caller.call(HttpMethod.OPTIONS, ORDERS, preflight(CORS_ORIGIN, "DELETE"), null);
        Response apiWithoutCors = caller.call(HttpMethod.OPTIONS, "/acme/passthrough/v1/items",
                preflight(CORS_ORIGIN, "GET"), null);

        for (Response response : List.of(otherOrigin, otherMethod, apiWithoutCors)) {
            assertThat(response.status()).isEqualTo(405);
            assertThat(response.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    @Test
    void crossOriginCalls_fromAnAllowedOrigin_canReadAnswersAndRefusals() {
        MultiMap withToken = MultiMap.caseInsensitiveMultiMap().add("Origin", CORS_ORIGIN)
                .add("Authorization", "Bearer " + readToken());
        MultiMap withoutToken = MultiMap.caseInsensitiveMultiMap().add("Origin", CORS_ORIGIN);
        MultiMap otherOrigin = MultiMap.caseInsensitiveMultiMap().add("Origin", "https://evil.test")
                .add("Authorization", "Bearer " + readToken());

        Response allowed = caller.call(HttpMethod.GET, ORDERS, withToken, null);
        Response refused = caller.call(HttpMethod.GET, ORDERS, withoutToken, null);
        Response foreign = caller.call(HttpMethod.GET, ORDERS, otherOrigin, null);

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(CORS_ORIGIN);
        assertThat(allowed.header("Access-Control-Expose-Headers")).isEqualTo("X-Request-ID, WWW-Authenticate");
        assertThat(allowed.header("Vary")).isEqualTo("Origin");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.header("Access-Control-Allow-Origin")).isEqualTo(CORS_ORIGIN);
        assertThat(foreign.status()).isEqualTo(200);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void bearerScheme_isCaseInsensitive_andEcTokensPass() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "bEaReR " + Tokens.sign(ACME_EC_KEY, claims("prod-client", READ).build()));

        assertThat(caller.call(HttpMethod.GET, ORDERS, headers, null).status()).isEqualTo(200);
    }

    @Test
    void hopByHopHeaders_areDroppedBothWays_andCallerForwardedHeadersAreReplacedOrExtended() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + readToken())
                .add("Connection", "keep-alive, X-Caller-Hop")
                .add("X-Caller-Hop", "secret")
                .add("Keep-Alive", "timeout=5")
                .add("TE", "trailers")
                .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
                .add("X-Forwarded-For", "203.0.113.7")
                .add("X-Forwarded-Proto", "https")
                .add("X-Forwarded-Host", "spoofed.test")
                .add("Forwarded", "for=203.0.113.7;proto=https")
                .add("X-End-To-End", "kept")
                .add("X-Echo-Hop", "yes");

        Response response = caller.call(HttpMethod.GET, ORDERS, headers, null);

        assertThat(response.status()).isEqualTo(200);
        JsonObject forwarded = response.json().getJsonObject("headers");
        assertThat(forwarded.fieldNames()).doesNotContain("x-caller-hop", "keep-alive", "te",
                "proxy-authorization", "authorization");
        assertThat(forwarded.getJsonArray("x-end-to-end").getString(0)).isEqualTo("kept");
        assertThat(forwarded.getJsonArray("x-forwarded-for").getString(0)).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(forwarded.getJsonArray("forwarded").getString(0)).isEqualTo(
                "for=203.0.113.7;proto=https, for=127.0.0.1;host=\"127.0.0.1:" + caller.port() + "\";proto=http");
        assertThat(forwarded.getJsonArray("x-forwarded-proto").getString(0)).isEqualTo("http");
        assertThat(forwarded.getJsonArray("x-forwarded-host").getString(0)).isEqualTo("127.0.0.1:" + caller.port());
        assertThat(response.headers().names()).doesNotContain("x-backend-hop", "keep-alive", "proxy-authenticate");
        assertThat(response.header("x-backend")).isEqualTo("echo");
    }

    @Test
    void postBody_isStreamedThroughToTheBackend() throws Exception {
        Buffer chunk = Buffer.buffer("0123456789abcdef".repeat(4096));
        int chunks = 64;
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < chunks; i++) {
            sha256.update(chunk.getBytes());
        }
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + readToken())
                .add("Content-Type", "application/octet-stream");

        Response response = caller.postChunked("/acme/orders/v1/upload", headers, chunk, chunks);

        assertThat(response.status()).isEqualTo(200);
        JsonObject echo = response.json();
        assertThat(echo.getString("method")).isEqualTo("POST");
        assertThat(echo.getLong("bodyLength")).isEqualTo((long) chunk.length() * chunks);
        assertThat(echo.getString("bodySha256")).isEqualTo(HexFormat.of().formatHex(sha256.digest()));
        assertThat(echo.getJsonObject("headers").getJsonArray("transfer-encoding").getString(0)).isEqualTo("chunked");
    }

    @Test
    void postWithContentLength_keepsIt() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + token("prod-client", WRITE));

        Response response = caller.call(HttpMethod.POST, ORDERS, headers, Buffer.buffer("{\"item\":1}"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().getLong("bodyLength")).isEqualTo(10L);
        assertThat(response.json().getJsonObject("headers").getJsonArray("content-length").getString(0))
                .isEqualTo("10");
    }

    @Test
    void oneKeepAliveConnection_servesRefusalsAndForwardsInTurn() {
        String token = readToken();
        for (int i = 0; i < 50; i++) {
            assertThat(caller.get("/acme/old/v1/items", token).status()).as("refusal %d", i).isEqualTo(404);
            assertThat(caller.get("/acme/orders/v1/public", token).status()).as("forward %d", i).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "h2c upgrade: {0}")
    @ValueSource(booleans = {true, false})
    void http2Cleartext_isServed_forRefusalsAndForwards(boolean upgrade) {
        String token = readToken();
        try (Caller h2 = new Caller(vertx, caller.port(), new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(upgrade))) {
            for (int i = 0; i < 3; i++) {
                assertThat(h2.get("/acme/old/v1/items", token).status()).as("refusal %d", i).isEqualTo(404);
                assertThat(h2.get("/acme/down/v1/items", token).status()).as("late refusal %d", i).isEqualTo(502);
                assertThat(h2.get("/acme/orders/v1/public", token).status()).as("forward %d", i).isEqualTo(200);
            }
        }
    }

    // --- route -------------------------------------------------------------------------------------------------

    @Test
    void unknownPath_isRefusedWith404NoRoute() {
        Response response = caller.get("/acme/orders/v1/invoices", readToken());

        assertProblem(response, 404, "no_route", "route", "no API resource matches GET /acme/orders/v1/invoices");
        assertThat(response.json().getString("title")).isEqualTo("No API resource matches the request");
        assertThat(response.header("WWW-Authenticate")).isNull();
    }

    @Test
    void retiredApi_isNotRouted() {
        assertProblem(caller.get("/acme/old/v1/items", readToken()), 404, "no_route", "route",
                "no API resource matches GET /acme/old/v1/items");
    }

    @Test
    void knownPathWithAnotherMethod_isRefusedWith405AndAllow() {
        Response response = caller.call(HttpMethod.DELETE, ORDERS, MultiMap.caseInsensitiveMultiMap(), null);

        assertProblem(response, 405, "method_not_allowed", "route", "the resource supports GET, HEAD, POST, not DELETE");
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD, POST");
    }

    @Test
    void blockedApi_isRefusedWith503() {
        assertProblem(caller.get("/acme/legacy/v1/items", readToken()), 503, "api_blocked", "route",
                "API 'Legacy' v1 is blocked");
    }

    // --- credential --------------------------------------------------------------------------------------------

    @Test
    void callWithoutToken_isRefusedWith401AndABareChallenge() {
        Response response = caller.get(ORDERS, null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse\"");
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.body().toString()).isEqualTo("{\"type\":\"urn:gatehouse:problem:missing_token\","
                + "\"title\":\"A bearer token is required\",\"status\":401,"
                + "\"detail\":\"the request carries no bearer token\",\"check\":\"credential\"}");
    }

    @Test
    void basicCredentials_areTreatedAsNoBearerToken() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Basic YWxpY2U6c2VjcmV0");

        Response response = caller.call(HttpMethod.GET, ORDERS, headers, null);

        assertProblem(response, 401, "missing_token", "credential", "the request carries no bearer token");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse\"");
    }

    @Test
    void bearerHeaderWithoutAWellFormedToken_isInvalidToken() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer not a token!");

        assertInvalidToken(caller.call(HttpMethod.GET, ORDERS, headers, null), "credential",
                "the Authorization header does not carry a well-formed bearer token");
    }

    @Test
    void malformedJwt_isInvalidToken() {
        assertInvalidToken(caller.get(ORDERS, "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"), "credential",
                "the bearer token is not a well-formed JWT");
    }

    // --- issuer ------------------------------------------------------------------------------------------------

    @Test
    void tokenOfAnotherOrganizationsIssuer_isInvalidToken() {
        String globexToken = Tokens.sign(GLOBEX_KEY,
                Tokens.claims(clock, GLOBEX_ISSUER, "globex-client", READ).build());

        assertInvalidToken(caller.get(ORDERS, globexToken), "issuer",
                "the issuer 'https://idp.globex.test' is not trusted by organization 'acme'");
        assertThat(caller.get("/globex/orders/v1/orders", globexToken).status()).isEqualTo(200);
    }

    // --- claims (forged, unsigned and otherwise hostile tokens: GatewayTokenAttackTest) ------------------------

    @Test
    void expiredToken_isInvalidToken_onceTheFakeClockPassesExpiry() {
        Instant expiry = clock.instant().plusSeconds(60);
        String token = Tokens.sign(ACME_KEY, claims("prod-client", READ).expirationTime(Date.from(expiry)).build());
        assertThat(caller.get(ORDERS, token).status()).isEqualTo(200);

        clock.advance(Duration.ofSeconds(60 + 30));

        assertInvalidToken(caller.get(ORDERS, token), "claims", "the token expired at " + expiry);
    }

    @Test
    void tokenForAnotherAudience_isInvalidToken() {
        String wrong = Tokens.sign(ACME_KEY, Tokens.claims(clock, ACME_AUD_ISSUER, "prod-client", READ)
                .audience("https://other.test").build());
        String right = Tokens.sign(ACME_KEY, Tokens.claims(clock, ACME_AUD_ISSUER, "prod-client", READ)
                .audience(AUDIENCE).build());

        assertInvalidToken(caller.get(ORDERS, wrong), "claims",
                "the token's audience does not include 'https://api.acme.test'");
        assertThat(caller.get(ORDERS, right).status()).isEqualTo(200);
    }

    // --- application, key type, subscription -------------------------------------------------------------------

    @Test
    void tokenOfAnUnlinkedClientId_isRefusedWith403UnknownApplication() {
        Response response = caller.get(ORDERS, token("nobody", READ));

        assertProblem(response, 403, "unknown_application", "application",
                "no application has the client ID 'nobody' of identity provider 'acme-idp' linked");
        assertThat(response.header("WWW-Authenticate")).isNull();
    }

    @Test
    void tokenWithoutAnyClientIdClaim_isRefusedWith403UnknownApplication() {
        String token = Tokens.sign(ACME_KEY, claims(null, READ).build());

        assertProblem(caller.get(ORDERS, token), 403, "unknown_application", "application",
                "the token carries no client ID (claims azp, client_id)");
    }

    @Test
    void sandboxCredentials_cannotCallTheProductionEnvironment() {
        assertProblem(caller.get(ORDERS, token("sandbox-client", READ)), 403, "wrong_key_type", "key_type",
                "sandbox credentials cannot call the production environment");
    }

    @Test
    void productionCredentials_cannotCallTheDevelopmentEnvironment() {
        Gateway development = new Gateway(vertx, TestWorld.config(Environment.DEVELOPMENT), clock, meters);
        development.apply(TestWorld.snapshot(1, Environment.DEVELOPMENT, jwks::uri, backend.url("/svc"),
                unreachableBackend));
        try (Caller developmentCaller = new Caller(vertx, Await.result(development.start()))) {
            assertProblem(developmentCaller.get(ORDERS, readToken()), 403, "wrong_key_type", "key_type",
                    "production credentials cannot call the development environment");
            assertThat(developmentCaller.get(ORDERS, token("sandbox-client", READ)).status()).isEqualTo(200);
        } finally {
            Await.result(development.stop());
        }
    }

    @Test
    void callsBeyondTheSubscriptionsTier_areRefusedWith429_andCallsWithinItCarryTheRateLimitHeaders() {
        RateLimit twoPerMinute = RateLimit.of("Trial", 2, Duration.ofMinutes(1));
        List<SubscriptionGrant> grants = new ArrayList<>(TestWorld.subscriptions());
        grants.replaceAll(grant -> grant.applicationId().equals("app-prod") && grant.apiId().equals("api-orders")
                ? new SubscriptionGrant("app-prod", "api-orders", "Trial", true, twoPerMinute) : grant);
        GatewaySnapshot base = snapshot();
        gateway.apply(new GatewaySnapshot(versions.incrementAndGet(), Environment.PRODUCTION, base.apis(),
                base.issuers(), base.clients(), grants));

        Response first = caller.get(ORDERS, readToken());
        Response second = caller.get(ORDERS, readToken());
        clock.advance(Duration.ofSeconds(15));
        Response third = caller.get(ORDERS, readToken());

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.header("RateLimit-Policy")).isEqualTo("\"Trial\";q=2;w=60");
        assertThat(first.header("RateLimit")).isEqualTo("\"Trial\";r=1;t=60");
        assertThat(second.header("RateLimit")).isEqualTo("\"Trial\";r=0;t=60");
        assertProblem(third, 429, "rate_limited", "rate_limit", "application 'app-prod' has spent its Trial "
                + "allowance for API 'Orders' v1; retry in 45 s");
        assertThat(third.header("Retry-After")).isEqualTo("45");
        assertThat(third.header("RateLimit")).isEqualTo("\"Trial\";r=0;t=45");
    }

    @Test
    void applicationWithoutSubscription_isRefusedWith403NotSubscribed() {
        assertProblem(caller.get(ORDERS, token("unsubscribed-client", READ)), 403, "not_subscribed",
                "subscription", "application 'app-unsubscribed' is not subscribed to API 'Orders' v1");
    }

    @Test
    void inactiveSubscription_isRefusedWith403NotSubscribed() {
        assertProblem(caller.get(ORDERS, token("inactive-client", READ)), 403, "not_subscribed", "subscription",
                "the subscription of application 'app-inactive' to API 'Orders' v1 is not active");
    }

    @Test
    void removedSubscription_isEnforcedByTheNextCall_andAnOlderSnapshotIsIgnored() {
        String token = readToken();
        assertThat(caller.get(ORDERS, token).status()).isEqualTo(200);
        GatewaySnapshot baseline = snapshot();
        List<SubscriptionGrant> remaining = baseline.subscriptions().stream()
                .filter(grant -> !grant.applicationId().equals("app-prod")).toList();
        GatewaySnapshot withoutSubscription = new GatewaySnapshot(versions.incrementAndGet(),
                Environment.PRODUCTION, baseline.apis(), baseline.issuers(), baseline.clients(), remaining);

        gateway.apply(withoutSubscription);

        assertProblem(caller.get(ORDERS, token), 403, "not_subscribed", "subscription",
                "application 'app-prod' is not subscribed to API 'Orders' v1");
        gateway.apply(baseline);
        assertThat(gateway.snapshotVersion()).isEqualTo(withoutSubscription.version());
        assertThat(caller.get(ORDERS, token).status()).isEqualTo(403);
    }

    @Test
    void issuerDroppedByANewSnapshot_refusesATokenItHadAccepted() {
        String token = readToken();
        assertThat(caller.get(ORDERS, token).status()).isEqualTo(200);
        GatewaySnapshot baseline = snapshot();
        GatewaySnapshot withoutIssuer = new GatewaySnapshot(versions.incrementAndGet(), Environment.PRODUCTION,
                baseline.apis(), baseline.issuers().stream().filter(i -> !i.issuer().equals(ACME_ISSUER)).toList(),
                baseline.clients(), baseline.subscriptions());

        gateway.apply(withoutIssuer);

        assertInvalidToken(caller.get(ORDERS, token), "issuer",
                "the issuer 'https://idp.acme.test' is not trusted by organization 'acme'");
    }

    @Test
    void tokenRevokedByItsIssuer_isRefusedWith401AndCounted_othersOfTheSameClientPass() {
        String revoked = Tokens.sign(ACME_KEY, claims("prod-client", READ).jwtID("jti-revoked").build());
        String other = Tokens.sign(ACME_KEY, claims("prod-client", READ).jwtID("jti-other").build());
        String sameIdElsewhere = Tokens.sign(ACME_KEY, Tokens.claims(clock, ACME_SCP_ISSUER, null, null)
                .claim("cid", "scp-client").claim("scp", List.of(READ)).jwtID("jti-revoked").build());
        assertThat(caller.get(ORDERS, revoked).status()).isEqualTo(200);
        GatewaySnapshot baseline = snapshot();
        double counted = refusals("invalid_token", "revoked");

        gateway.apply(new GatewaySnapshot(versions.incrementAndGet(), Environment.PRODUCTION, baseline.apis(),
                baseline.issuers(), baseline.clients(), baseline.subscriptions(),
                List.of(new RevokedToken(ACME_ISSUER, "jti-revoked", clock.instant().plusSeconds(600))), null, List.of()));

        assertInvalidToken(caller.get(ORDERS, revoked), "revoked", "the token has been revoked");
        assertThat(caller.get(ORDERS, other).status()).isEqualTo(200);
        assertThat(caller.get(ORDERS, sameIdElsewhere).status()).isEqualTo(200);
        await().untilAsserted(() -> assertThat(refusals("invalid_token", "revoked")).isEqualTo(counted + 1));
    }

    @Test
    void apiKey_ofASubscribedApplication_isTakenWhereTheApiAllowsIt_andNeverReachesTheBackend() {
        String key = ApiKey.newKey();
        String sandboxKey = ApiKey.newKey();
        GatewaySnapshot baseline = snapshot();
        List<RoutedApi> apis = baseline.apis().stream().map(api -> !api.apiId().equals("api-orders") ? api
                : new RoutedApi(api.apiId(), api.orgHandle(), api.name(), api.context(), api.version(),
                        api.backendUrl(), api.lifecycle(), api.resources(), api.forwardAuthorization(),
                        api.corsOrigins(), api.limit(), null, "apikey")).toList();
        gateway.apply(new GatewaySnapshot(versions.incrementAndGet(), Environment.PRODUCTION, apis,
                baseline.issuers(), baseline.clients(), baseline.subscriptions(), List.of(), null, List.of(
                        new ApiKeyBinding(ApiKey.digest(key), "key-1", "app-prod", KeyType.PRODUCTION, null),
                        new ApiKeyBinding(ApiKey.digest(sandboxKey), "key-2", "app-sandbox", KeyType.SANDBOX, null))));
        double invalid = refusals("invalid_api_key", "credential");

        Response allowed = caller.call(HttpMethod.POST, ORDERS, MultiMap.caseInsensitiveMultiMap()
                .add("apikey", key), Buffer.buffer("{}"));
        Response unknown = caller.call(HttpMethod.GET, ORDERS, MultiMap.caseInsensitiveMultiMap()
                .add("apikey", "ghk_not-a-key"), null);
        Response twice = caller.call(HttpMethod.GET, ORDERS, MultiMap.caseInsensitiveMultiMap()
                .add("apikey", key).add("apikey", key), null);
        Response sandbox = caller.call(HttpMethod.GET, ORDERS, MultiMap.caseInsensitiveMultiMap()
                .add("apikey", sandboxKey), null);
        Response neither = caller.get(ORDERS, null);
        Response elsewhere = caller.call(HttpMethod.GET, "/acme/passthrough/v1/items",
                MultiMap.caseInsensitiveMultiMap().add("apikey", key), null);

        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.json().getJsonObject("headers").containsKey("apikey")).isFalse();
        assertProblem(unknown, 401, "invalid_api_key", "credential", "the API key is not an application's key");
        assertThat(unknown.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse\"");
        assertProblem(twice, 401, "invalid_api_key", "credential", "the request carries more than one API key");
        assertProblem(sandbox, 403, "wrong_key_type", "key_type",
                "sandbox credentials cannot call the production environment");
        assertProblem(neither, 401, "missing_token", "credential",
                "the request carries no bearer token and no API key (header apikey)");
        assertProblem(elsewhere, 401, "missing_token", "credential", "the request carries no bearer token");
        await().untilAsserted(() -> assertThat(refusals("invalid_api_key", "credential")).isEqualTo(invalid + 2));
    }

    @Test
    void snapshotOfAnotherEnvironment_isRejected() {
        GatewaySnapshot development = TestWorld.snapshot(versions.incrementAndGet(), Environment.DEVELOPMENT,
                jwks::uri, backend.url("/svc"), unreachableBackend);

        assertThatThrownBy(() -> gateway.apply(development)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a snapshot of the development environment cannot be applied to the production gateway");
    }

    // --- scope -------------------------------------------------------------------------------------------------

    @Test
    void tokenWithoutRequiredScope_isRefusedWith403AndChallenge() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + token("prod-client", READ + " urn:acme:other:write"));

        Response response = caller.call(HttpMethod.POST, ORDERS, headers, Buffer.buffer("{}"));

        assertProblem(response, 403, "insufficient_scope", "scope",
                "the token carries none of the scopes this resource requires");
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"gatehouse\", "
                + "error=\"insufficient_scope\", error_description=\"the token carries none of the scopes this "
                + "resource requires\", scope=\"" + ADMIN + " " + WRITE + "\"");
    }

    @Test
    void anyOneOfTheRequiredScopes_isEnough() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add("Authorization", "Bearer " + token("prod-client", "openid " + ADMIN));

        assertThat(caller.call(HttpMethod.POST, ORDERS, headers, Buffer.buffer("{}")).status()).isEqualTo(200);
    }

    @Test
    void tokenWithoutScopeClaim_reachesResourcesThatRequireNone_only() {
        String token = token("prod-client", null);

        assertThat(caller.get("/acme/orders/v1/public", token).status()).isEqualTo(200);
        assertThat(caller.get(ORDERS, token).status()).isEqualTo(403);
    }

    @Test
    void scopesAsAnScpArray_withACustomClaimMapping_areHonoured() {
        JWTClaimsSet.Builder base = new JWTClaimsSet.Builder()
                .issuer(ACME_SCP_ISSUER)
                .claim("cid", "scp-client")
                .expirationTime(Date.from(clock.instant().plusSeconds(300)));
        String granted = Tokens.sign(ACME_KEY, base.claim("scp", List.of("openid", READ)).build());
        String notGranted = Tokens.sign(ACME_KEY, base.claim("scp", List.of("openid", WRITE)).build());
        String scopeString = Tokens.sign(ACME_KEY, base.claim("scp", null).claim("scope", READ).build());

        assertThat(caller.get(ORDERS, granted).status()).isEqualTo(200);
        Response refused = caller.get(ORDERS, notGranted);
        assertProblem(refused, 403, "insufficient_scope", "scope",
                "the token carries none of the scopes this resource requires");
        assertThat(refused.header("WWW-Authenticate")).endsWith("scope=\"" + READ + "\"");
        assertThat(caller.get(ORDERS, scopeString).status()).isEqualTo(403);
    }

    // --- backend -----------------------------------------------------------------------------------------------

    @Test
    void unreachableBackend_isRefusedWith502() {
        assertProblem(caller.get("/acme/down/v1/items", readToken()), 502, "backend_unavailable", "backend",
                "the backend of API 'Down' v1 cannot be reached");
    }

    @Test
    void silentBackend_isRefusedWith504AfterTheResponseTimeout() {
        assertProblem(caller.get("/acme/orders/v1/slow", readToken()), 504, "backend_timeout", "backend",
                "the backend of API 'Orders' v1 did not answer within 500 ms");
    }

    @Test
    void backendStallingMidAnswer_getsTheCallCutOff_neverPassedOffAsComplete() {
        assertThatThrownBy(() -> caller.get("/acme/orders/v1/stall", readToken()))
                .isInstanceOf(IllegalStateException.class)
                .satisfies(cutOff -> assertThat(cutOff.getCause()).isNotInstanceOf(TimeoutException.class));
        assertThat(caller.get("/acme/orders/v1/public", readToken()).status()).isEqualTo(200);
    }

    @Test
    void refusedCallsWithABody_leaveTheConnectionUsable() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "text/plain");
        for (int i = 0; i < 3; i++) {
            Response refused = caller.call(HttpMethod.POST, ORDERS, headers, Buffer.buffer("x".repeat(100_000)));
            assertThat(refused.status()).isEqualTo(401);
        }

        assertThat(caller.get(ORDERS, readToken()).status()).isEqualTo(200);
    }

    @Test
    void expectContinue_isAnsweredOnlyOnceTheCallIsAllowed() {
        MultiMap allowed = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + readToken());

        Caller.ContinueExchange forwarded = caller.postExpectingContinue("/acme/orders/v1/upload", allowed,
                Buffer.buffer("hello"));
        Caller.ContinueExchange refused = caller.postExpectingContinue("/acme/orders/v1/upload",
                MultiMap.caseInsensitiveMultiMap(), Buffer.buffer("hello"));

        assertThat(forwarded.continued()).isTrue();
        assertThat(forwarded.response().status()).isEqualTo(200);
        assertThat(forwarded.response().json().getLong("bodyLength")).isEqualTo(5L);
        assertThat(forwarded.response().json().getJsonObject("headers").containsKey("expect")).isFalse();
        assertThat(refused.continued()).isFalse();
        assertProblem(refused.response(), 401, "missing_token", "credential", "the request carries no bearer token");
        assertThat(refused.response().header("Connection")).isEqualTo("close");
    }

    @Test
    void headRequest_getsTheBackendsHeadersWithoutBody() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + readToken());

        Response response = caller.call(HttpMethod.HEAD, ORDERS, headers, null);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("x-backend")).isEqualTo("echo");
        assertThat(response.body().length()).isZero();
    }
}
