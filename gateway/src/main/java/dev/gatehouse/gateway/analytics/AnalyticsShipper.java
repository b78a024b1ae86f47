package dev.gatehouse.gateway.analytics;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.analytics.AnalyticsBatch;
import dev.gatehouse.model.analytics.CallMinute;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
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
 * they counted are added to {@value #DROPPED}; {@value #BUFFERED} shows how full it is. Only the shipper's timer touches the buffer.
 */
public final class AnalyticsShipper {

    static final String DROPPED = "gatehouse.gateway.analytics.dropped";
    static final String BUFFERED = "gatehouse.gateway.analytics.buffered";

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

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
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
