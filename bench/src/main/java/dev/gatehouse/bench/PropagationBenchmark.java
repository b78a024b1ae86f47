package dev.gatehouse.bench;

import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.model.Environment;
import dev.gatehouse.server.AnalyticsOptions;
import dev.gatehouse.server.Gatehouse;
import dev.gatehouse.server.GatehouseConfig;
import dev.gatehouse.server.GatewayProcess;
import dev.gatehouse.server.GatewayProcessConfig;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import redis.embedded.RedisServer;

/**
 * How fast a configuration change reaches the gateways, and how closely a rate-limit tier holds across them.
 *
 * <p>Two control-plane replicas share one database; three production gateways are fed by the first. Each change
 * blocks or unblocks a subscription through the management API, and the clock runs until every gateway answers
 * accordingly (403 or 200); changes are made alternately through the replica that feeds the gateways and through
 * the other one, whose change reaches them by the first replica's poll of the shared database. Then a 100-per-
 * minute tier is loaded from 16 threads across the three gateways, with the counts shared in Redis and, with Redis
 * stopped, kept locally; the calls let through beyond 100 are the overshoot.
 *
 * <p>Everything runs in this JVM but talks HTTP on loopback: {@code bench/propagation.sh} builds and runs it.
 */
public final class PropagationBenchmark {

    private static final String TOKEN = "gateway-token-of-the-propagation-benchmark";
    /** Shared by the two control planes, as replicas share it. */
    private static final MasterKey MASTER_KEY = MasterKey.ephemeral();
    private final HttpClient http = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int changes = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        new PropagationBenchmark().run(changes);
        System.exit(0);
    }

    private void run(int changes) throws Exception {
        int redisPort = freePort();
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").build();
        redis.start();
        StoreConfig store = StoreConfig.inMemory("propagation-" + UUID.randomUUID());
        Gatehouse feeding = Gatehouse.start(controlPlane(store), Clock.systemUTC());
        Gatehouse other = Gatehouse.start(controlPlane(store), Clock.systemUTC());
        Path state = Files.createTempDirectory("gatehouse-propagation");
        List<GatewayProcess> gateways = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            gateways.add(GatewayProcess.start(new GatewayProcessConfig("127.0.0.1", Environment.PRODUCTION, 0, 0,
                    feeding.publicUrl(), TOKEN, "bench-" + i, null, state.resolve("gw-" + i), Duration.ofSeconds(30),
                    Duration.ofMillis(200), "redis://127.0.0.1:" + redisPort, AnalyticsOptions.DEFAULT),
                    Clock.systemUTC()));
        }
        try {
            String feedingUrl = feeding.publicUrl();
            String alice = login(feedingUrl, "alice");
            String ordersApi = new JsonArray(get(feedingUrl + "/api/orgs/acme/apis", alice).body())
                    .getJsonObject(0).getString("id");
            Application app = application(feedingUrl, alice, ordersApi, "Unlimited");
            awaitStatus(gateways, app.token(), 200);

            List<Long> sameReplica = new ArrayList<>();
            List<Long> otherReplica = new ArrayList<>();
            for (int i = 0; i < changes; i++) {
                boolean block = i % 2 == 0;
                boolean throughOther = (i / 2) % 2 == 1;
                String base = (throughOther ? other.publicUrl() : feedingUrl);
                String pat = login(base, "pat");
                long start = System.nanoTime();
                patch(base + app.subscriptionPath(), pat, new JsonObject().put("status", block ? "blocked" : "active"));
                awaitStatus(gateways, app.token(), block ? 403 : 200);
                (throughOther ? otherReplica : sameReplica).add(System.nanoTime() - start);
            }
            System.out.printf("configuration propagation to 3 gateways, %d changes (ms, from the management call "
                    + "to the last gateway enforcing it)%n", changes);
            report("  through the replica feeding them ", sameReplica);
            report("  through another replica         ", otherReplica);

            String ada = login(feedingUrl, "ada");
            post(feedingUrl + "/api/orgs/acme/tiers", ada, new JsonObject().put("name", "Hundred")
                    .put("requests", 100).put("windowSeconds", 60));
            Application shared = application(feedingUrl, alice, ordersApi, "Hundred");
            awaitStatus(gateways, shared.token(), 200);
            overshoot("rate limit 100/min, 3 gateways, counts in Redis", gateways, shared.token());
            redis.stop();
            Application local = application(feedingUrl, alice, ordersApi, "Hundred");
            awaitStatus(gateways, local.token(), 200);
            overshoot("rate limit 100/min, 3 gateways, Redis stopped ", gateways, local.token());
        } finally {
            gateways.forEach(GatewayProcess::close);
            other.close();
            feeding.close();
            if (redis.isActive()) {
                redis.stop();
            }
        }
    }

    private static GatehouseConfig controlPlane(StoreConfig store) {
        return new GatehouseConfig("127.0.0.1", 0, 0, 0, null, null, null, store, "operator-password", true,
                Duration.ofMillis(200), Duration.ofSeconds(30), false, TOKEN, AnalyticsOptions.DEFAULT, MASTER_KEY);
    }

    private record Application(String subscriptionPath, String token) {
    }

    /** An application with generated production keys, subscribed to the API on the tier; its access token. */
    private Application application(String base, String alice, String apiId, String tier) throws Exception {
        JsonObject app = post(base + "/api/orgs/acme/applications", alice,
                new JsonObject().put("name", "bench " + UUID.randomUUID()));
        String appPath = "/api/orgs/acme/applications/" + app.getString("id");
        JsonObject subscription = post(base + appPath + "/subscriptions", alice,
                new JsonObject().put("apiId", apiId).put("tier", tier));
        JsonObject keys = post(base + appPath + "/credentials/generate", alice, new JsonObject()
                .put("keyType", "production").put("grantTypes", new JsonArray().add("client_credentials")));
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/t/acme/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((keys.getString("clientId")
                        + ":" + keys.getString("clientSecret")).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + URLEncoder.encode("urn:acme:orders:read", StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Application(appPath + "/subscriptions/" + subscription.getString("id"),
                new JsonObject(token.body()).getString("access_token"));
    }

    private void overshoot(String label, List<GatewayProcess> gateways, String token) throws Exception {
        int calls = 1500;
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                GatewayProcess gateway = gateways.get(i % gateways.size());
                answers.add(threads.submit(() -> call(gateway, token)));
            }
            long granted = 1; // the call that waited for the subscription to arrive
            for (Future<Integer> answer : answers) {
                granted += answer.get() == 200 ? 1 : 0;
            }
            System.out.printf("%s: %d calls, %d let through, overshoot %+.1f %%%n", label, calls + 1, granted,
                    (granted - 100) * 100.0 / 100);
        } finally {
            threads.shutdownNow();
        }
    }

    private void awaitStatus(List<GatewayProcess> gateways, String token, int status) throws Exception {
        for (GatewayProcess gateway : gateways) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (call(gateway, token) != status) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a gateway did not answer " + status + " within 10 s");
                }
            }
        }
    }

    private int call(GatewayProcess gateway, String token) throws IOException, InterruptedException {
        return get("http://127.0.0.1:" + gateway.port() + "/acme/orders/v1/orders", token).statusCode();
    }

    private static void report(String label, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf("%s p50 %6.1f   p99 %6.1f   max %6.1f%n", label, millis(sorted, 0.50), millis(sorted, 0.99),
                sorted.getLast() / 1e6);
    }

    private static double millis(List<Long> sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }

    private String login(String base, String user) throws Exception {
        Map<String, String> form = Map.of("grant_type", "password", "client_id", "gatehouse-cli", "username", user,
                "password", user + "-demo-password");
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/t/acme/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(response.body()).getString("access_token");
    }

    private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonObject post(String url, String token, JsonObject body) throws Exception {
        return send("POST", url, token, body);
    }

    private JsonObject patch(String url, String token, JsonObject body) throws Exception {
        return send("PATCH", url, token, body);
    }

    private JsonObject send(String method, String url, String token, JsonObject body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + " "
                    + response.body());
        }
        return new JsonObject(response.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
