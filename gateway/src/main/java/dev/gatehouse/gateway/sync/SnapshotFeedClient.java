package dev.gatehouse.gateway.sync;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.FeedProtocol;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.SnapshotCodec;
import dev.gatehouse.model.snapshot.SnapshotDelta;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway's side of the control plane's gateway feed: it long-polls for the next snapshot with the version it
 * serves, hands each new snapshot to the gateway, and asks again at once. It accepts deltas once it has a whole
 * snapshot, naming the one it serves by the digest the control plane gave it: one that starts from the version
 * served is applied to the served snapshot and handed on as a whole snapshot; one that does not (the
 * gateway moved on meanwhile) is dropped, and the next poll asks for a whole snapshot. While the control plane
 * cannot be reached it retries every {@code retryInterval}, and the gateway goes on serving what it has; the first
 * failure and the recovery are logged, not every retry.
 */
public final class SnapshotFeedClient {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFeedClient.class);

    /**
     * @param controlPlaneUrl the control plane's base URL, without trailing slash
     * @param gatewayId       this gateway's id in the control plane's fleet list
     * @param address         where this gateway serves, for operators
     * @param gatewayToken    the feed's shared secret
     * @param pollTimeout     longer than the control plane holds a poll
     * @param retryInterval   the wait after a failed poll
     */
    public record Settings(String controlPlaneUrl, Environment environment, String gatewayId, String address,
                           String gatewayToken, Duration pollTimeout, Duration retryInterval) {

        public Settings {
            Objects.requireNonNull(controlPlaneUrl, "controlPlaneUrl");
            Objects.requireNonNull(environment, "environment");
            Objects.requireNonNull(gatewayId, "gatewayId");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(gatewayToken, "gatewayToken");
            Objects.requireNonNull(pollTimeout, "pollTimeout");
            Objects.requireNonNull(retryInterval, "retryInterval");
        }
    }

    private final Vertx vertx;
    private final WebClient client;
    private final Settings settings;
    private final Supplier<GatewaySnapshot> served;
    private final Consumer<GatewaySnapshot> onSnapshot;
    private final IntConsumer onLiveGateways;
    private volatile boolean stopped;
    private volatile boolean wholeNext;
    /** The digest the control plane gave the snapshot served, as deltas are made against it; null before the first. */
    private volatile String servedDigest;
    private boolean failing;

    /**
     * @param served         the snapshot the gateway serves now
     * @param onSnapshot     takes each new snapshot; called on a worker thread, so it may block (to save it)
     * @param onLiveGateways takes the number of live gateways of the environment, as the control plane counts them
     */
    public SnapshotFeedClient(Vertx vertx, WebClient client, Settings settings, Supplier<GatewaySnapshot> served,
                              Consumer<GatewaySnapshot> onSnapshot, IntConsumer onLiveGateways) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.served = Objects.requireNonNull(served, "served");
        this.onSnapshot = Objects.requireNonNull(onSnapshot, "onSnapshot");
        this.onLiveGateways = Objects.requireNonNull(onLiveGateways, "onLiveGateways");
    }

    public void start() {
        poll();
    }

    public void stop() {
        stopped = true;
    }

    private void poll() {
        if (stopped) {
            return;
        }
        client.getAbs(settings.controlPlaneUrl() + FeedProtocol.path(settings.environment()))
                .addQueryParam("gateway", settings.gatewayId())
                .addQueryParam("address", settings.address())
                .addQueryParam("after", Long.toString(served.get().version()))
                .putHeader("Accept", wholeNext || servedDigest == null ? FeedProtocol.SNAPSHOT_TYPE
                        : FeedProtocol.DELTA_TYPE + ", " + FeedProtocol.SNAPSHOT_TYPE)
                .putHeader(FeedProtocol.DIGEST_HEADER, Objects.requireNonNullElse(servedDigest, ""))
                .bearerTokenAuthentication(settings.gatewayToken())
                .timeout(settings.pollTimeout().toMillis())
                .send()
                .compose(response -> vertx.executeBlocking(() -> take(response), false))
                .onComplete(outcome -> {
                    if (outcome.succeeded()) {
                        if (failing) {
                            LOG.info("the control plane at {} answers again", settings.controlPlaneUrl());
                            failing = false;
                        }
                        poll();
                        return;
                    }
                    if (!failing) {
                        LOG.warn("cannot get configuration from the control plane at {} ({}); serving snapshot {} "
                                        + "and retrying every {} ms", settings.controlPlaneUrl(),
                                outcome.cause().getMessage(), served.get().version(),
                                settings.retryInterval().toMillis());
                        failing = true;
                    }
                    vertx.setTimer(settings.retryInterval().toMillis(), id -> poll());
                });
    }

    /** Hands on the snapshot in a 200 answer; a 204 means no change. Anything else is a failure. */
    private Void take(HttpResponse<Buffer> response) {
        String live = response.getHeader(FeedProtocol.LIVE_GATEWAYS_HEADER);
        if (live != null && live.matches("[1-9][0-9]{0,5}")) {
            onLiveGateways.accept(Integer.parseInt(live));
        }
        switch (response.statusCode()) {
            case 200 -> {
                String type = Objects.requireNonNullElse(response.getHeader("Content-Type"), "");
                String digest = response.getHeader(FeedProtocol.DIGEST_HEADER);
                if (type.startsWith(FeedProtocol.DELTA_TYPE)) {
                    takeDelta(SnapshotCodec.decodeDelta(response.body().getBytes()), digest);
                } else {
                    wholeNext = false;
                    onSnapshot.accept(SnapshotCodec.decode(response.body().getBytes()));
                    servedDigest = digest;
                }
            }
            case 204 -> {
            }
            default -> throw new IllegalStateException("the feed answered " + response.statusCode() + " "
                    + Objects.requireNonNullElse(response.bodyAsString(), ""));
        }
        return null;
    }

    private void takeDelta(SnapshotDelta delta, String digest) {
        GatewaySnapshot base = served.get();
        if (base.version() != delta.from()) {
            LOG.info("dropping a delta from snapshot {}: serving {}; asking for the whole snapshot", delta.from(),
                    base.version());
            wholeNext = true;
            return;
        }
        onSnapshot.accept(delta.applyTo(base));
        servedDigest = digest;
    }
}
