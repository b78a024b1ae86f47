package dev.gatehouse.server;

import static dev.gatehouse.server.Http.awaitRefusal;
import static dev.gatehouse.server.Http.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.FeedProtocol;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SnapshotCodec;
import dev.gatehouse.model.snapshot.SnapshotDelta;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway as a process of its own (role gateway) fed by a control plane (role control-plane), both in this JVM
 * but talking only HTTP: it gets its configuration through the gateway feed, follows changes without a restart,
 * shows in the operators' list, survives the control plane going away, and restarts from its saved snapshot.
 */
class GatewayProcessTest {

    private static final String GATEWAY_TOKEN = "gateway-token-of-the-tests-0123456789";
    private static final String ORDERS = "/acme/orders/v1/orders";

    @TempDir
    Path state;
    private final StoreConfig store = StoreConfig.inMemory("fleet-" + UUID.randomUUID());
    private TestGatehouse controlPlane;
    private GatewayProcess gateway;

    @BeforeEach
    void start() {
        controlPlane = TestGatehouse.startControlPlane(store, GATEWAY_TOKEN);
        gateway = startGateway();
    }

    @AfterEach
    void stop() {
        gateway.close();
        controlPlane.close();
    }

    private GatewayProcess startGateway() {
        return GatewayProcess.start(new GatewayProcessConfig("127.0.0.1", Environment.PRODUCTION, 0, 0,
                controlPlane.url(""), GATEWAY_TOKEN, "gw-1", null, state, Duration.ofMillis(100),
                Duration.ofMillis(100), null, TestGatehouse.ANALYTICS), Clock.systemUTC());
    }

    private String viaGateway(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    private Http.Response feed(String query, String token) {
        return controlPlane.http.get(controlPlane.url("/internal/gateways/" + query), token);
    }

    @Test
    void gatewayProcess_servesTheConfigurationAndFollowsChangesWithoutRestart() {
        awaitStatus(200, () -> controlPlane.http.get("http://127.0.0.1:" + gateway.statusPort() + "/ready", null));
        String alice = controlPlane.loginDemo(DemoData.SUBSCRIBER);
        TestGatehouse.Keys keys = controlPlane.demoApplication(alice, "fleet app", "production", true);
        String token = controlPlane.ordersReadToken(keys);

        awaitStatus(200, () -> controlPlane.http.get(viaGateway(ORDERS), token));
        String subscription = controlPlane.http.get(keys.appUrl() + "/subscriptions", alice).array()
                .getJsonObject(0).getString("id");
        assertThat(controlPlane.http.delete(keys.appUrl() + "/subscriptions/" + subscription, alice).status())
                .isEqualTo(204);
        awaitRefusal(403, "subscription", () -> controlPlane.http.get(viaGateway(ORDERS), token));
    }

    @Test
    void opaqueTokens_areResolvedThroughTheControlPlane_onlyForGateways() {
        awaitStatus(200, () -> controlPlane.http.get("http://127.0.0.1:" + gateway.statusPort() + "/ready", null));
        TestGatehouse.Keys keys = controlPlane.opaqueApplication(controlPlane.loginDemo(DemoData.SUBSCRIBER),
                "opaque fleet app");
        String token = controlPlane.ordersReadToken(keys);

        awaitStatus(200, () -> controlPlane.http.get(viaGateway(ORDERS), token));

        String resolution = controlPlane.url("/internal/gateways/production/opaque-tokens");
        assertThat(controlPlane.http.form(resolution, java.util.Map.of("token", token), null, null).status())
                .isEqualTo(401);
        Http.Response resolved = controlPlane.http.formWithBearer(resolution, java.util.Map.of("token", token),
                GATEWAY_TOKEN);
        assertThat(resolved.status()).isEqualTo(200);
        assertThat(resolved.json().getString("client_id")).isEqualTo(keys.clientId());
        assertThat(controlPlane.http.formWithBearer(resolution, java.util.Map.of("token", "gh_at_" + "A".repeat(43)),
                GATEWAY_TOKEN).status()).isEqualTo(404);
    }

    @Test
    void changesMadeThroughAnotherControlPlane_reachTheGatewayToo() {
        try (TestGatehouse other = TestGatehouse.startControlPlane(store, GATEWAY_TOKEN)) {
            String alice = other.loginDemo(DemoData.SUBSCRIBER);
            TestGatehouse.Keys keys = other.demoApplication(alice, "elsewhere app", "production", true);
            // Replicas share one public URL in production; here each has its own, so the token comes from the
            // replica whose issuer the snapshots name.
            String token = controlPlane.ordersReadToken(keys);

            awaitStatus(200, () -> other.http.get(viaGateway(ORDERS), token));
        }
    }

    @Test
    void operatorAdmins_seeTheGatewayAndTheVersionItServes_othersAreRefused() {
        String operator = controlPlane.loginOperator();
        awaitStatus(200, () -> controlPlane.http.get("http://127.0.0.1:" + gateway.statusPort() + "/ready", null));
        // The next poll reports the version the gateway now serves.
        controlPlane.loginDemo(DemoData.ADMIN);
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonArray gateways = controlPlane.http.get(controlPlane.api("/gateways"), operator).array();
            assertThat(gateways).hasSize(1);
            JsonObject listed = gateways.getJsonObject(0);
            assertThat(listed.getString("id")).isEqualTo("gw-1");
            assertThat(listed.getString("environment")).isEqualTo("production");
            assertThat(listed.getString("address")).isEqualTo("http://localhost:" + gateway.port());
            assertThat(listed.getLong("snapshotVersion")).isEqualTo(gateway.snapshotVersion());
        });

        Http.Response asAlice = controlPlane.http.get(controlPlane.api("/gateways"),
                controlPlane.loginDemo(DemoData.SUBSCRIBER));
        assertThat(asAlice.status()).isEqualTo(403);
    }

    @Test
    void feed_refusesWhatIsNotAGatewayOfThisDeployment() {
        Http.Response anonymous = feed("production/snapshot?gateway=gw-2", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(anonymous.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(feed("production/snapshot?gateway=gw-2", GATEWAY_TOKEN + "x").status()).isEqualTo(401);
        assertThat(feed("staging/snapshot?gateway=gw-2", GATEWAY_TOKEN).status()).isEqualTo(404);

        Http.Response badId = feed("production/snapshot?gateway=gw%2F2", GATEWAY_TOKEN);
        assertThat(badId.status()).isEqualTo(400);
        assertThat(badId.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("gateway");
        Http.Response badVersion = feed("production/snapshot?gateway=gw-2&after=latest", GATEWAY_TOKEN);
        assertThat(badVersion.status()).isEqualTo(400);
        assertThat(badVersion.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("after");
    }

    @Test
    void feed_isClosedWithoutAGatewayToken() {
        try (TestGatehouse allInOne = TestGatehouse.start()) {
            Http.Response call = allInOne.http.get(allInOne.url("/internal/gateways/production/snapshot?gateway=gw"),
                    GATEWAY_TOKEN);
            assertThat(call.status()).isEqualTo(404);
        }
    }

    @Test
    void feed_answersAtOnceWhenBehind_andHoldsWhenCurrent() throws Exception {
        Http.Response behind = feed("production/snapshot?gateway=gw-2&after=0", GATEWAY_TOKEN);
        assertThat(behind.status()).isEqualTo(200);
        long version = behind.json().getLong("version");
        assertThat(behind.json().getString("environment")).isEqualTo("PRODUCTION");

        HttpClient client = HttpClient.newHttpClient();
        var held = client.sendAsync(HttpRequest.newBuilder(URI.create(controlPlane.url(
                        "/internal/gateways/production/snapshot?gateway=gw-2&after=" + version)))
                .header("Authorization", "Bearer " + GATEWAY_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        String pat = controlPlane.loginDemo(DemoData.PUBLISHER);
        controlPlane.publishedApi(pat, "Held", "/held", new JsonArray(), new JsonArray()
                .add(TestGatehouse.resource("GET", "/things")));

        HttpResponse<String> answered = held.get();
        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(answered.body()).getLong("version")).isGreaterThan(version);
    }

    @Test
    void feed_sendsOnlyWhatChanged_toGatewaysThatAcceptDeltas() throws Exception {
        Http.Response whole = feed("production/snapshot?gateway=gw-2&after=0", GATEWAY_TOKEN);
        assertThat(whole.header("Content-Type")).isEqualTo(FeedProtocol.SNAPSHOT_TYPE);
        GatewaySnapshot before = SnapshotCodec.decode(whole.body().getBytes(StandardCharsets.UTF_8));
        String pat = controlPlane.loginDemo(DemoData.PUBLISHER);
        controlPlane.publishedApi(pat, "Changed", "/changed", new JsonArray(), new JsonArray()
                .add(TestGatehouse.resource("GET", "/things")));
        GatewaySnapshot after = Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                () -> SnapshotCodec.decode(feed("production/snapshot?gateway=gw-2&after=0", GATEWAY_TOKEN).body()
                        .getBytes(StandardCharsets.UTF_8)),
                snapshot -> snapshot.apis().stream().anyMatch(api -> api.name().equals("Changed")));

        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        controlPlane.url("/internal/gateways/production/snapshot?gateway=gw-2&after=" + before.version())))
                .header("Authorization", "Bearer " + GATEWAY_TOKEN)
                .header("Accept", FeedProtocol.DELTA_TYPE + ", " + FeedProtocol.SNAPSHOT_TYPE)
                .header(FeedProtocol.DIGEST_HEADER, whole.header(FeedProtocol.DIGEST_HEADER))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.headers().firstValue("Content-Type")).contains(FeedProtocol.DELTA_TYPE);
        assertThat(answer.body().length()).isLessThan(whole.body().length());
        SnapshotDelta delta = SnapshotCodec.decodeDelta(answer.body().getBytes(StandardCharsets.UTF_8));
        assertThat(delta.from()).isEqualTo(before.version());
        assertThat(delta.version()).isEqualTo(after.version());
        assertThat(delta.apis().put()).extracting(RoutedApi::name).containsExactly("Changed");
        GatewaySnapshot applied = delta.applyTo(before);
        assertThat(applied.apis()).containsExactlyInAnyOrderElementsOf(after.apis());
        assertThat(applied.issuers()).containsExactlyInAnyOrderElementsOf(after.issuers());
        assertThat(applied.clients()).containsExactlyInAnyOrderElementsOf(after.clients());
        assertThat(applied.subscriptions()).containsExactlyInAnyOrderElementsOf(after.subscriptions());
        String latestDigest = feed("production/snapshot?gateway=gw-2&after=0", GATEWAY_TOKEN)
                .header(FeedProtocol.DIGEST_HEADER);
        assertThat(answer.headers().firstValue(FeedProtocol.DIGEST_HEADER)).contains(latestDigest);
        // A gateway that does not say it takes deltas, or serves a snapshot the feed does not hold, gets it whole.
        assertThat(feed("production/snapshot?gateway=gw-2&after=" + before.version(), GATEWAY_TOKEN)
                .header("Content-Type")).isEqualTo(FeedProtocol.SNAPSHOT_TYPE);
        HttpResponse<String> unknownBase = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        controlPlane.url("/internal/gateways/production/snapshot?gateway=gw-2&after=" + before.version())))
                .header("Authorization", "Bearer " + GATEWAY_TOKEN).header("Accept", FeedProtocol.DELTA_TYPE)
                .header(FeedProtocol.DIGEST_HEADER, "a-snapshot-of-that-version-the-feed-never-published")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(unknownBase.headers().firstValue("Content-Type")).contains(FeedProtocol.SNAPSHOT_TYPE);
    }

    @Test
    void gatewayWhoseControlPlaneIsAway_keepsServing_andRestartsFromItsSavedSnapshot() {
        String alice = controlPlane.loginDemo(DemoData.SUBSCRIBER);
        String token = controlPlane.ordersReadToken(
                controlPlane.demoApplication(alice, "resilient app", "production", true));
        awaitStatus(200, () -> controlPlane.http.get(viaGateway(ORDERS), token));
        long served = gateway.snapshotVersion();

        controlPlane.close();
        // Every check still passes (keys cached, configuration in memory); only the demo backend, which lived in
        // the control plane's process, is gone.
        Http.Response whileAway = controlPlane.http.get(viaGateway(ORDERS), token);
        assertThat(whileAway.status()).isEqualTo(502);
        assertThat(whileAway.json().getString("check")).isEqualTo("backend");

        gateway.close();
        gateway = startGateway();
        assertThat(gateway.snapshotVersion()).isEqualTo(served);
        Http.Response ready = controlPlane.http.get("http://127.0.0.1:" + gateway.statusPort() + "/ready", null);
        assertThat(ready.status()).isEqualTo(200);
        // Served from the saved snapshot, with the built-in identity provider's keys saved beside it: the token is
        // verified although the control plane that publishes them is away, and every check passes up to the backend.
        Http.Response afterRestart = controlPlane.http.get(viaGateway(ORDERS), token);
        assertThat(afterRestart.status()).isEqualTo(502);
        assertThat(afterRestart.json().getString("check")).isEqualTo("backend");
        assertThat(controlPlane.http.get(viaGateway(ORDERS), null).status()).isEqualTo(401);
        controlPlane = TestGatehouse.startControlPlane(GATEWAY_TOKEN);
    }
}
