package dev.gatehouse.controlplane.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.FeedProtocol;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RevokedToken;
import dev.gatehouse.model.snapshot.SnapshotCodec;
import dev.gatehouse.model.snapshot.SnapshotDelta;
import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed answers a gateway with a delta from the snapshot it serves, named by its digest, also when the
 * control plane built a version twice (a write landed while the first build was read) and that gateway got the
 * first build.
 */
class GatewayFeedTest {

    private static final String TOKEN = "feed-test-gateway-token-0123456789";

    private final HttpClient client = HttpClient.newHttpClient();
    private Vertx vertx;
    private Store store;
    private GatewayFeed feed;
    private HttpServer server;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        store = Store.open(StoreConfig.inMemory("feed-" + UUID.randomUUID()), Clock.systemUTC());
        feed = new GatewayFeed(vertx, store, TOKEN, Duration.ofMillis(200));
        Router router = Router.router(vertx);
        feed.mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    }

    @AfterEach
    void stop() {
        server.close().await();
        vertx.close().await();
        store.close();
    }

    /** A snapshot with the given revoked token ids and forty more, so that a delta is the smaller answer. */
    private static GatewaySnapshot snapshot(long version, String... revokedIds) {
        List<RevokedToken> revoked = Stream.concat(Arrays.stream(revokedIds),
                        IntStream.range(0, 40).mapToObj(i -> "revoked-before-" + i))
                .map(id -> new RevokedToken("https://idp.example", id, Instant.parse("2030-01-01T00:00:00Z")))
                .toList();
        return new GatewaySnapshot(version, Environment.PRODUCTION, List.of(), List.of(), List.of(), List.of(),
                revoked, null, List.of());
    }

    private HttpResponse<byte[]> ask(long after, String digest) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                        + "/internal/gateways/production/snapshot?gateway=gw-1&after=" + after))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept", FeedProtocol.DELTA_TYPE + ", " + FeedProtocol.SNAPSHOT_TYPE);
        if (digest != null) {
            request.header(FeedProtocol.DIGEST_HEADER, digest);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String type(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Type").orElseThrow();
    }

    @Test
    void aGatewayServingTheFirstBuildOfAVersionBuiltTwice_getsADelta() throws Exception {
        feed.publish(snapshot(6, "a"));
        HttpResponse<byte[]> first = ask(0, null);
        String firstDigest = first.headers().firstValue(FeedProtocol.DIGEST_HEADER).orElseThrow();

        feed.publish(snapshot(6, "a", "b"));
        feed.publish(snapshot(7, "a", "b", "c"));
        HttpResponse<byte[]> answer = ask(6, firstDigest);

        assertThat(type(answer)).isEqualTo(FeedProtocol.DELTA_TYPE);
        SnapshotDelta delta = SnapshotCodec.decodeDelta(answer.body());
        GatewaySnapshot applied = delta.applyTo(SnapshotCodec.decode(first.body()));
        assertThat(applied.version()).isEqualTo(7);
        assertThat(applied.revokedTokens()).extracting(RevokedToken::tokenId).contains("a", "b", "c").hasSize(43);
    }

    @Test
    void theSameSnapshotPublishedAgain_changesNothing() throws Exception {
        feed.publish(snapshot(6, "a"));
        String digest = ask(0, null).headers().firstValue(FeedProtocol.DIGEST_HEADER).orElseThrow();

        feed.publish(snapshot(6, "a"));

        assertThat(ask(6, digest).statusCode()).isEqualTo(204);
        feed.publish(snapshot(7, "a", "b"));
        HttpResponse<byte[]> answer = ask(6, digest);
        assertThat(type(answer)).isEqualTo(FeedProtocol.DELTA_TYPE);
        assertThat(SnapshotCodec.decodeDelta(answer.body()).from()).isEqualTo(6);
    }

    @Test
    void aGatewayServingASnapshotTheFeedNoLongerHolds_getsTheWholeSnapshot() throws Exception {
        feed.publish(snapshot(1, "a"));
        String digest = ask(0, null).headers().firstValue(FeedProtocol.DIGEST_HEADER).orElseThrow();
        for (int version = 2; version <= 2 + GatewayFeed.HISTORY; version++) {
            feed.publish(snapshot(version, "a", "v" + version));
        }

        HttpResponse<byte[]> answer = ask(1, digest);

        assertThat(type(answer)).isEqualTo(FeedProtocol.SNAPSHOT_TYPE);
        assertThat(SnapshotCodec.decode(answer.body()).version()).isEqualTo(2 + GatewayFeed.HISTORY);
    }
}
