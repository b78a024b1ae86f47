package dev.gatehouse.bench;

import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.ClientRegistration;
import dev.gatehouse.identity.IdpConfig;
import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.identity.PasswordHasher;
import dev.gatehouse.identity.RegisteredClient;
import dev.gatehouse.model.Organization;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the built-in identity provider over real HTTP on loopback, as a client sees it: client_credentials
 * token issuance (an RS256 signature, a store read and an audit write per token) and RFC 7662 introspection of a
 * JWT access token (a signature check and a revocation lookup), against the embedded H2 store. Run with
 * {@code java -jar bench/target/gatehouse-bench.jar TokenEndpoint}; JMH's usual options apply ({@code -t} threads, {@code -f} forks).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class TokenEndpointBenchmark {

    private Store store;
    private Vertx vertx;
    private HttpClient http;
    private HttpRequest clientCredentials;
    private HttpRequest introspection;

    @Setup(Level.Trial)
    public void start() throws Exception {
        store = Store.open(StoreConfig.inMemory("bench-" + UUID.randomUUID()), Clock.systemUTC());
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0).await();
        String base = "http://localhost:" + server.actualPort();
        BuiltInIdentityProvider idp = new BuiltInIdentityProvider(store, new IdpConfig(base), new PasswordHasher(),
                MasterKey.ephemeral(), Clock.systemUTC());
        idp.mount(router);
        String scope = "urn:bench:orders:read";
        RegisteredClient client = store.write(tx -> {
            Organization org = tx.organizations().create("bench", "Bench");
            idp.provisionOrganization(tx, org);
            tx.apiResources().create(org.id(), "https://api.bench.test/orders", "Orders", Set.of(scope));
            return idp.registerClient(tx, org.id(), new ClientRegistration("Service",
                    Set.of("client_credentials"), Set.of(scope), true, null));
        });
        String basic = "Basic " + Base64.getEncoder().encodeToString((client.client().clientId() + ":"
                + client.clientSecret()).getBytes(StandardCharsets.UTF_8));
        http = HttpClient.newHttpClient();
        clientCredentials = HttpRequest.newBuilder(URI.create(idp.endpoints("bench").tokenEndpoint()))
                .header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope))
                .build();
        String token = send(clientCredentials).split("\"access_token\":\"")[1].split("\"")[0];
        introspection = HttpRequest.newBuilder(URI.create(idp.endpoints("bench").introspectionEndpoint()))
                .header("Authorization", basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + token))
                .build();
        if (!send(introspection).contains("\"active\":true")) {
            throw new IllegalStateException("the benchmark's token does not introspect as active");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        vertx.close().await();
        store.close();
    }

    @Benchmark
    public String clientCredentialsIssuance() throws Exception {
        return send(clientCredentials);
    }

    @Benchmark
    public String introspection() throws Exception {
        return send(introspection);
    }

    private String send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
