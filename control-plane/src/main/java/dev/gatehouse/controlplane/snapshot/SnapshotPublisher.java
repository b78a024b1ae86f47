package dev.gatehouse.controlplane.snapshot;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands gateways a new snapshot whenever the configuration changes. It polls the store's configuration
 * revision, one cheap query, every {@code interval}; when the revision moved, it builds each environment's
 * snapshot and gives it to that environment's subscribers. Polling the shared store rather than listening to
 * local writes means that a change made through any control-plane replica is seen the same way, and that a
 * change is enforced within one interval plus the time to build.
 *
 * <p>A process that makes a change itself need not wait for the next tick: {@link #refresh()} polls at once.
 * Polls never overlap; one asked for while another runs follows it. A failed poll (the store away) is logged and tried again at the next tick, while
 * the gateways go on serving the snapshot they have.
 */
public final class SnapshotPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotPublisher.class);

    private record Subscriber(Environment environment, Consumer<GatewaySnapshot> consumer) {
    }

    private final Vertx vertx;
    private final SnapshotAssembler assembler;
    private final Duration interval;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final AtomicBoolean pollAgain = new AtomicBoolean();
    private volatile long publishedRevision = -1;
    private volatile boolean stopped;
    private long timerId = -1;

    public SnapshotPublisher(Vertx vertx, SnapshotAssembler assembler, Duration interval) {
        this.vertx = vertx;
        this.assembler = assembler;
        this.interval = interval;
    }

    /** Registers a consumer of an environment's snapshots; it is called from a worker thread. */
    public void subscribe(Environment environment, Consumer<GatewaySnapshot> consumer) {
        subscribers.add(new Subscriber(environment, consumer));
        publishedRevision = -1;
    }

    /** Starts polling; completes once the subscribers have been handed the current configuration. */
    public Future<Void> start() {
        Future<Void> first = poll();
        timerId = vertx.setPeriodic(interval.toMillis(), id -> poll());
        return first;
    }

    /** Polls now rather than at the next tick; callable from any thread. */
    public void refresh() {
        poll();
    }

    public void stop() {
        stopped = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    private Future<Void> poll() {
        if (stopped) {
            return Future.succeededFuture();
        }
        if (!polling.compareAndSet(false, true)) {
            pollAgain.set(true);
            return Future.succeededFuture();
        }
        return vertx.<Void>executeBlocking(() -> {
            long revision = assembler.currentRevision();
            if (revision != publishedRevision) {
                for (Environment environment : Environment.values()) {
                    GatewaySnapshot snapshot = assembler.build(environment);
                    subscribers.stream()
                            .filter(s -> s.environment() == environment)
                            .forEach(s -> s.consumer().accept(snapshot));
                }
                publishedRevision = revision;
            }
            return null;
        }, false).andThen(done -> {
            polling.set(false);
            if (done.failed()) {
                LOG.warn("could not refresh the gateways' configuration; they keep serving the last one", done.cause());
            } else if (pollAgain.getAndSet(false)) {
                poll();
            }
        });
    }
}
