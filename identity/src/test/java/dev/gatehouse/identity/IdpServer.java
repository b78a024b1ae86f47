package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.identity.SigningKey;
import dev.gatehouse.model.testing.TestClock;
import dev.gatehouse.store.Repositories;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * The built-in identity provider on a real HTTP server on port 0, over a fresh in-memory store, with a clock the
 * test moves. An event loop blocked for longer than {@link #MAX_EVENT_LOOP_MILLIS} fails the test at close.
 */
final class IdpServer implements AutoCloseable {

    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    /** Cheap Argon2 parameters for the bulk of the suite; PasswordHasherTest keeps the production ones. */
    static final PasswordHasher CHEAP_HASHER = new PasswordHasher(64, 1, 1);

    private static final long MAX_EVENT_LOOP_MILLIS = 300;
    private static final String BLOCKED_THREAD_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

    final TestClock clock = new TestClock(START);
    final MasterKey masterKey = MasterKey.ephemeral();
    final Store store;
    final Vertx vertx;
    final BuiltInIdentityProvider idp;
    final String baseUrl;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ListAppender<ILoggingEvent> blockedThreads = new ListAppender<>();

    private IdpServer() {
        blockedThreads.start();
        ((Logger) LoggerFactory.getLogger(BLOCKED_THREAD_LOGGER)).addAppender(blockedThreads);
        store = Store.open(StoreConfig.inMemory("identity-" + UUID.randomUUID()), clock);
        vertx = Vertx.vertx(new VertxOptions()
                .setBlockedThreadCheckInterval(50)
                .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
        Router router = Router.router(vertx);
        server = vertx.createHttpServer().requestHandler(router).listen(0).await();
        baseUrl = "http://localhost:" + server.actualPort();
        idp = new BuiltInIdentityProvider(store, new IdpConfig(baseUrl), CHEAP_HASHER, masterKey, clock);
        idp.mount(router);
    }

    static IdpServer start() {
        return new IdpServer();
    }

    Organization createOrganization(String handle) {
        return write(tx -> {
            Organization org = tx.organizations().create(handle, handle + " Inc.");
            idp.provisionOrganization(tx, org);
            return org;
        });
    }

    <T> T write(Function<Repositories, T> work) {
        return store.write(work);
    }

    /** A stored signing key's private part, opened with this server's master key. */
    RSAKey privateKey(SigningKey row) {
        try {
            return RSAKey.parse(masterKey.open(row.kid(), row.privateJwk()));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    /** The key the organization signs with now. */
    SigningKey signingKey(Organization org) {
        return store.read(tx -> tx.signingKeys().signingAt(org.id(), clock.instant())).orElseThrow();
    }

    URI tokenEndpoint(String orgHandle) {
        return URI.create(idp.endpoints(orgHandle).tokenEndpoint());
    }

    HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    /** A POST with the given query string (already encoded, may be empty), headers (name, value, ...) and body. */
    HttpResponse<String> post(URI endpoint, String query, String body, String... headers) {
        URI uri = URI.create(endpoint + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .POST(body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    /** A GET with the given headers (name, value, ...). */
    HttpResponse<String> send(String url, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request.build());
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return JSONObjectUtils.parse(response.body());
        } catch (ParseException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            server.close().await();
            vertx.close().await();
            store.close();
        } finally {
            ((Logger) LoggerFactory.getLogger(BLOCKED_THREAD_LOGGER)).detachAppender(blockedThreads);
        }
        assertThat(blockedThreads.list)
                .as("event loops blocked for more than %d ms", MAX_EVENT_LOOP_MILLIS)
                .filteredOn(event -> event.getFormattedMessage().contains("eventloop"))
                .isEmpty();
    }
}
