package dev.gatehouse.controlplane.snapshot;

import dev.gatehouse.controlplane.http.GatewayCredential;
import dev.gatehouse.controlplane.http.ManagementRouter;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.FeedProtocol;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.SnapshotDelta;
import dev.gatehouse.model.snapshot.SnapshotCodec;
import dev.gatehouse.store.Store;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves configuration to gateways that run as processes of their own, by long polling:
 * {@code GET /internal/gateways/{environment}/snapshot?gateway={id}&after={version}}.
 *
 * <p>A gateway asks with the version it serves. If a newer snapshot is there, it gets it at once; otherwise the
 * request is held until one is published or until the hold time passes (then {@code 204 No Content}), and the
 * gateway asks again. A gateway that connects with {@code after=0} gets the whole current snapshot, so a new or
 * restarted gateway is current after one round trip, and a change reaches every connected gateway as soon as the
 * {@link SnapshotPublisher} hands it here. A gateway that accepts {@link FeedProtocol#DELTA_TYPE} and asks after a
 * snapshot the feed still holds (one of the last {@value #HISTORY} published, named by the digest of its
 * encoding) gets only what changed since, as a
 * {@link SnapshotDelta}, whenever that is smaller than the whole snapshot: one change to a large configuration
 * then costs each gateway a few hundred bytes. Each delta is computed once per version pair, however many
 * gateways ask for it.
 *
 * <p>Each request is also the gateway's report of itself (its id, address and version), recorded in the store
 * without advancing the configuration revision, so that any replica can list the fleet; each answer tells the
 * gateway how many gateways of its environment are alive, for sharing rate limits while Redis is away. The feed takes only
 * the shared gateway token (compared in constant time); without one configured it is closed.
 */
public final class GatewayFeed {

    /** A gateway polls at least every {@link #DEFAULT_HOLD}; one not heard from for this long is gone. */
    public static final Duration LIVENESS = Duration.ofMinutes(2);

    /** How long a poll is held when nothing changes; well under the usual 60 s proxy and load-balancer idle limits. */
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(25);

    private static final Logger LOG = LoggerFactory.getLogger(GatewayFeed.class);
    private static final Pattern GATEWAY_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_ADDRESS_LENGTH = 500;

    private static final long NO_TIMER = -1;

    /** How many earlier snapshots per environment are kept to answer with deltas. */
    static final int HISTORY = 8;

    /** A snapshot published before, known by its version and the digest of its encoding. */
    private record Earlier(GatewaySnapshot snapshot, String digest) {
    }

    /**
     * A published snapshot, encoded once, with the digest of that encoding, the snapshots published before it
     * (oldest first), and the deltas computed so far from those, by the digest they start from (empty where the
     * whole snapshot is the better answer). Digests rather than versions name a delta's start because a version may
     * be published twice, its second build reading more of a change that landed while the first was read.
     */
    private record Published(GatewaySnapshot snapshot, Buffer json, String digest, List<Earlier> earlier,
                             ConcurrentMap<String, Optional<Buffer>> deltas) {

        long version() {
            return snapshot.version();
        }

        Published next(GatewaySnapshot newer) {
            List<Earlier> kept = new ArrayList<>(earlier);
            kept.add(new Earlier(snapshot, digest));
            return published(newer, kept.subList(Math.max(0, kept.size() - HISTORY), kept.size()));
        }

        static Published published(GatewaySnapshot snapshot, List<Earlier> earlier) {
            byte[] json = SnapshotCodec.encode(snapshot);
            return new Published(snapshot, Buffer.buffer(json), digest(json), List.copyOf(earlier),
                    new ConcurrentHashMap<>());
        }

        /**
         * The delta to this snapshot from the one whose encoding has {@code baseDigest}, when the feed still holds
         * that one and the delta is the smaller answer.
         */
        Optional<Buffer> deltaFrom(String baseDigest) {
            return deltas.computeIfAbsent(baseDigest, from -> earlier.stream()
                    .filter(older -> older.digest().equals(from))
                    .findFirst()
                    .flatMap(older -> SnapshotDelta.between(older.snapshot(), snapshot))
                    .map(delta -> Buffer.buffer(SnapshotCodec.encode(delta)))
                    .filter(delta -> delta.length() < json.length()));
        }

        private static String digest(byte[] json) {
            try {
                return Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(MessageDigest.getInstance("SHA-256").digest(json));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has SHA-256", e);
            }
        }
    }

    /** A held request, answered exactly once: by a new snapshot, by the hold timer, or not at all if it closed. */
    private static final class Waiter {
        final RoutingContext ctx;
        final Context context;
        final long after;
        /** The digest of the snapshot the gateway serves, when it takes deltas; null otherwise. */
        final String deltaBase;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile long timerId = NO_TIMER;

        Waiter(RoutingContext ctx, Context context, long after, String deltaBase) {
            this.ctx = ctx;
            this.context = context;
            this.after = after;
            this.deltaBase = deltaBase;
        }
    }

    private final Vertx vertx;
    private final Store store;
    private final GatewayCredential credential;
    private final long holdMillis;
    private final Map<Environment, Published> latest = new EnumMap<>(Environment.class);
    private final Map<Environment, Queue<Waiter>> waiting = new EnumMap<>(Environment.class);
    private final Map<Environment, AtomicInteger> liveGateways = new EnumMap<>(Environment.class);

    /**
     * @param gatewayToken the secret gateways present as a bearer token; null closes the feed
     * @param hold         how long a request waits for a change before it is answered with no content
     */
    public GatewayFeed(Vertx vertx, Store store, String gatewayToken, Duration hold) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.store = Objects.requireNonNull(store, "store");
        this.credential = new GatewayCredential(gatewayToken);
        this.holdMillis = hold.toMillis();
        for (Environment environment : Environment.values()) {
            waiting.put(environment, new ConcurrentLinkedQueue<>());
            liveGateways.put(environment, new AtomicInteger(1));
        }
    }

    public void mount(Router router) {
        router.get(FeedProtocol.ROUTE).handler(this::handle);
    }

    /** Takes a newly published snapshot and answers the gateways waiting for it; callable from any thread. */
    public void publish(GatewaySnapshot snapshot) {
        Published encoded;
        synchronized (latest) {
            Published before = latest.get(snapshot.environment());
            // A version built again (a write landed while it was first read) keeps the history, so that gateways
            // serving the first build still get deltas; only a version going back (a store restored) starts anew.
            encoded = before == null || before.version() > snapshot.version()
                    ? Published.published(snapshot, List.of())
                    : before.next(snapshot);
            if (before != null && encoded.digest().equals(before.digest())) {
                return;
            }
            latest.put(snapshot.environment(), encoded);
        }
        Queue<Waiter> queue = waiting.get(snapshot.environment());
        for (Waiter waiter : queue) {
            if (waiter.after < encoded.version()) {
                queue.remove(waiter);
                waiter.context.runOnContext(v -> answer(waiter, encoded));
            }
        }
    }

    private void handle(RoutingContext ctx) {
        Optional<Environment> admitted = credential.admit(ctx, "the gateway feed");
        if (admitted.isEmpty()) {
            return;
        }
        Environment environment = admitted.get();
        String gatewayId = ctx.queryParams().get("gateway");
        if (gatewayId == null || !GATEWAY_ID.matcher(gatewayId).matches()) {
            ManagementRouter.render(ctx, Problem.invalid("gateway",
                    "gateway must be 1 to 64 letters, digits, '.', '_' or '-'"));
            return;
        }
        long after;
        try {
            after = Long.parseLong(Objects.requireNonNullElse(ctx.queryParams().get("after"), "0"));
        } catch (NumberFormatException e) {
            ManagementRouter.render(ctx, Problem.invalid("after", "after must be a snapshot version (a number)"));
            return;
        }
        String address = Objects.requireNonNullElse(ctx.queryParams().get("address"), "");
        if (address.length() > MAX_ADDRESS_LENGTH) {
            ManagementRouter.render(ctx, Problem.invalid("address",
                    "address must be at most " + MAX_ADDRESS_LENGTH + " characters"));
            return;
        }
        report(gatewayId, environment, address, after);

        Published current;
        synchronized (latest) {
            current = latest.get(environment);
        }
        String accept = ctx.request().getHeader(HttpHeaders.ACCEPT);
        boolean takesDeltas = accept != null && accept.contains(FeedProtocol.DELTA_TYPE);
        Waiter waiter = new Waiter(ctx, vertx.getOrCreateContext(), after,
                takesDeltas ? ctx.request().getHeader(FeedProtocol.DIGEST_HEADER) : null);
        ctx.response().putHeader(FeedProtocol.LIVE_GATEWAYS_HEADER, Integer.toString(liveGateways.get(environment).get()));
        if (current != null && current.version() > after) {
            answer(waiter, current);
            return;
        }
        Queue<Waiter> queue = waiting.get(environment);
        queue.add(waiter);
        waiter.timerId = vertx.setTimer(holdMillis, id -> {
            queue.remove(waiter);
            if (waiter.answered.compareAndSet(false, true)) {
                ctx.response().setStatusCode(204).end();
            }
        });
        ctx.request().connection().closeHandler(closed -> {
            queue.remove(waiter);
            cancelHold(waiter);
        });
        // A snapshot published between the look above and joining the queue must not be missed.
        Published now;
        synchronized (latest) {
            now = latest.get(environment);
        }
        if (now != null && now.version() > after && queue.remove(waiter)) {
            answer(waiter, now);
        }
    }

    private void answer(Waiter waiter, Published snapshot) {
        if (!waiter.answered.compareAndSet(false, true)) {
            return;
        }
        cancelHold(waiter);
        if (waiter.ctx.response().closed()) {
            return;
        }
        Optional<Buffer> delta = waiter.deltaBase == null ? Optional.empty() : snapshot.deltaFrom(waiter.deltaBase);
        String type = delta.isPresent() ? FeedProtocol.DELTA_TYPE : FeedProtocol.SNAPSHOT_TYPE;
        waiter.ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, type)
                .putHeader(FeedProtocol.DIGEST_HEADER, snapshot.digest())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(delta.orElse(snapshot.json()));
    }

    /** Timer ids are small numbers shared with every other timer of this Vert.x: never cancel one not set here. */
    private void cancelHold(Waiter waiter) {
        if (waiter.timerId != NO_TIMER) {
            vertx.cancelTimer(waiter.timerId);
        }
    }

    /** Records the report, and counts the environment's live gateways for the answers that follow. */
    private void report(String gatewayId, Environment environment, String address, long version) {
        vertx.executeBlocking(() -> store.record(tx -> {
                    tx.gatewayInstances().report(gatewayId, environment, address, version);
                    return tx.gatewayInstances().seenSince(store.clock().instant().minus(LIVENESS)).stream()
                            .filter(gateway -> gateway.environment() == environment)
                            .count();
                }), false)
                .onSuccess(live -> liveGateways.get(environment).set((int) Math.max(1, live)))
                .onFailure(e -> LOG.warn("could not record gateway {}'s report: {}", gatewayId, e.toString()));
    }
}
