package dev.gatehouse.gateway.analytics;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.analytics.AnalyticsBatch;
import dev.gatehouse.model.analytics.CallMinute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a gateway's {@link CallAnalytics} every interval and ships them to its {@link AnalyticsSink}, off the
 * calls' path.
 *
 * <p>Each interval's counts become one batch, queued in a bounded buffer and shipped oldest first, one at a time.
 * A batch the sink refuses (the control plane away, its database down) stays at the head and is sent again at the
 * next interval, with the same batch ID, so the control plane stores it once however often it arrives. The buffer
 * holds at most {@link AnalyticsShipping#maxBufferedMinutes()} rows: when the control plane stays away longer than
 * that lasts, the oldest batches are dropped whole (never the one awaiting an answer, nor the newest) and the calls
 * they counted are added to {@value #DROPPED}; {@value #BUFFERED} shows how full it is. A stopping gateway ships
 * what it has one last time ({@link #stop}), so a rolling restart loses nothing either.
 */
public final class AnalyticsShipper {

    static final String DROPPED = "gatehouse.gateway.analytics.dropped";
    static final String BUFFERED = "gatehouse.gateway.analytics.buffered";

    /** How long a stopping gateway tries to ship what it has counted. */
    static final Duration LAST_SHIPMENT = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsShipper.class);

    private final Vertx vertx;
    private final CallAnalytics analytics;
    private final AnalyticsShipping shipping;
    private final Environment environment;
    private final Counter dropped;
    private final Deque<AnalyticsBatch> buffer = new ArrayDeque<>();
    private int bufferedRows;
    private boolean inFlight;
    private boolean failing;
    private long timerId = -1;

    public AnalyticsShipper(Vertx vertx, CallAnalytics analytics, AnalyticsShipping shipping, Environment environment,
                            MeterRegistry meters) {
        this.vertx = vertx;
        this.analytics = analytics;
        this.shipping = shipping;
        this.environment = environment;
        this.dropped = Counter.builder(DROPPED)
                .description("Calls whose analytics were dropped because the buffer was full while the control "
                        + "plane could not take them")
                .tag("environment", environment.wireName())
                .register(meters);
        Gauge.builder(BUFFERED, this, AnalyticsShipper::buffered)
                .description("Analytics rows waiting to be shipped to the control plane")
                .tag("environment", environment.wireName())
                .register(meters);
    }

    public void start() {
        timerId = vertx.setPeriodic(shipping.interval().toMillis(), id -> collectAndShip());
    }

    /**
     * Stops collecting, and ships what is buffered and everything counted since the last interval, one batch after
     * the other, for at most {@link #LAST_SHIPMENT}; call it once the gateway takes no more calls. A batch still
     * awaiting its answer from the last interval may be sent again: the control plane counts it once. Completes,
     * never fails, when everything is shipped or the time is up (what is left is logged).
     */
    public Future<Void> stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        List<CallMinute> last = analytics.drainAll();
        List<AnalyticsBatch> pending;
        synchronized (this) {
            if (!last.isEmpty()) {
                enqueue(new AnalyticsBatch(UUID.randomUUID().toString(), shipping.gatewayId(), environment, last));
            }
            pending = new ArrayList<>(buffer);
        }
        Future<Void> shipped = Future.succeededFuture();
        for (AnalyticsBatch batch : pending) {
            shipped = shipped.compose(done -> shipping.sink().ship(batch));
        }
        return shipped.timeout(LAST_SHIPMENT.toMillis(), TimeUnit.MILLISECONDS).recover(failure -> {
            LOG.warn("stopping with analytics of {} calls not shipped: {}",
                    pending.stream().mapToLong(AnalyticsBatch::requests).sum(), failure.getMessage());
            return Future.succeededFuture();
        });
    }

    private synchronized double buffered() {
        return bufferedRows;
    }

    private void collectAndShip() {
        List<CallMinute> minutes = analytics.drain();
        synchronized (this) {
            if (!minutes.isEmpty()) {
                enqueue(new AnalyticsBatch(UUID.randomUUID().toString(), shipping.gatewayId(), environment, minutes));
            }
        }
        shipNext();
    }

    private synchronized void enqueue(AnalyticsBatch batch) {
        buffer.addLast(batch);
        bufferedRows += batch.minutes().size();
        while (bufferedRows > shipping.maxBufferedMinutes() && buffer.size() > (inFlight ? 2 : 1)) {
            AnalyticsBatch oldest = inFlight ? secondOldest() : buffer.peekFirst();
            buffer.removeFirstOccurrence(oldest);
            bufferedRows -= oldest.minutes().size();
            dropped.increment(oldest.requests());
            LOG.warn("analytics buffer full: dropped {} rows counting {} calls", oldest.minutes().size(),
                    oldest.requests());
        }
    }

    /** The batch after the one being shipped, which is not dropped while its answer is awaited. */
    private AnalyticsBatch secondOldest() {
        var batches = buffer.iterator();
        batches.next();
        return batches.next();
    }

    private void shipNext() {
        AnalyticsBatch head;
        synchronized (this) {
            if (inFlight || buffer.isEmpty()) {
                return;
            }
            inFlight = true;
            head = buffer.peekFirst();
        }
        Future<Void> shipped;
        try {
            shipped = shipping.sink().ship(head);
        } catch (RuntimeException e) {
            shipped = Future.failedFuture(e);
        }
        shipped.onComplete(outcome -> {
            synchronized (this) {
                inFlight = false;
                if (outcome.succeeded()) {
                    if (buffer.peekFirst() == head) {
                        buffer.removeFirst();
                        bufferedRows -= head.minutes().size();
                    }
                    if (failing) {
                        LOG.info("analytics reach the control plane again");
                        failing = false;
                    }
                } else if (!failing) {
                    LOG.warn("cannot ship analytics ({}); keeping up to {} rows and retrying every {} ms",
                            outcome.cause().getMessage(), shipping.maxBufferedMinutes(), shipping.interval().toMillis());
                    failing = true;
                }
            }
            if (outcome.succeeded()) {
                shipNext();
            }
        });
    }
}
