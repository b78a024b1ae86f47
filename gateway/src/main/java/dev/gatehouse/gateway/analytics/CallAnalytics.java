package dev.gatehouse.gateway.analytics;

import dev.gatehouse.model.analytics.CallMinute;
import dev.gatehouse.model.analytics.LatencyBuckets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts every call a gateway answers, per minute, API resource, application and status class, with its latency in
 * {@link LatencyBuckets}; {@link #drain} hands over what was counted, as {@link CallMinute}s, for shipping.
 *
 * <p><b>The hot path.</b> {@link #record} costs a clock read, one lock-free lookup in a concurrent map (the key is
 * one small record; only the first call of a key in a minute takes the map's bin lock) and three atomic additions; it never blocks and never waits for the control plane. Counts go
 * to the table of the current minute; the first call of a new minute, or a drain, retires the table and starts a
 * fresh one.
 *
 * <p><b>Why drains lag.</b> A call may have read the table just before it was retired and add to it just after. So
 * each retired table is stamped with the number of drains so far, and a drain ships only the tables stamped two
 * drains or more before it: retired at least one whole interval ago, which no call still holds. Nothing counted is
 * lost, no lock is taken per call, and counts reach the shipper one to two intervals after the call.
 */
public final class CallAnalytics {

    /** What one row of counts is kept by, within a minute. */
    private record Key(String orgHandle, String apiId, String resource, String applicationId, String statusClass) {
    }

    private static final class Counts {
        final LongAdder requests = new LongAdder();
        final LongAdder latencyMicros = new LongAdder();
        final AtomicLongArray buckets = new AtomicLongArray(LatencyBuckets.COUNT);

        void add(long nanos) {
            requests.increment();
            latencyMicros.add(nanos / 1_000);
            buckets.incrementAndGet(LatencyBuckets.index(nanos));
        }
    }

    private static final class Table {
        final long minute;
        final ConcurrentHashMap<Key, Counts> counts = new ConcurrentHashMap<>();
        volatile long retiredByDrain;

        Table(long minute) {
            this.minute = minute;
        }
    }

    private final Clock clock;
    private final AtomicReference<Table> current;
    private final ConcurrentLinkedQueue<Table> retired = new ConcurrentLinkedQueue<>();
    private volatile long drains;

    public CallAnalytics(Clock clock) {
        this.clock = clock;
        this.current = new AtomicReference<>(new Table(minuteNow()));
    }

    /**
     * Counts one call. Thread-safe and non-blocking.
     *
     * @param applicationId null when the call was refused before its application was known
     */
    public void record(String orgHandle, String apiId, String resource, String applicationId, String statusClass,
                       long nanos) {
        long minute = minuteNow();
        Table table = current.get();
        if (table.minute != minute) {
            table = roll(table, minute);
        }
        Key key = new Key(orgHandle, apiId, resource, applicationId == null ? "" : applicationId, statusClass);
        Counts counts = table.counts.get(key);
        if (counts == null) {
            counts = table.counts.computeIfAbsent(key, absent -> new Counts());
        }
        counts.add(nanos);
    }

    /**
     * Retires the current table and returns what the tables retired at least one drain ago counted. Called by one
     * thread at a time (the shipper's timer).
     */
    public List<CallMinute> drain() {
        return drain(false);
    }

    /** Everything counted so far, for the last shipment when the gateway stops: call it once no call records. */
    public List<CallMinute> drainAll() {
        return drain(true);
    }

    private synchronized List<CallMinute> drain(boolean everything) {
        long drain = drains + 1;
        drains = drain;
        retire(current.getAndSet(new Table(minuteNow())));
        List<CallMinute> minutes = new ArrayList<>();
        for (Table table : retired) {
            if (everything || table.retiredByDrain <= drain - 2) {
                retired.remove(table);
                table.counts.forEach((key, counts) -> minutes.add(minute(table.minute, key, counts)));
            }
        }
        return minutes;
    }

    private Table roll(Table seen, long minute) {
        Table fresh = new Table(minute);
        if (current.compareAndSet(seen, fresh)) {
            retire(seen);
            return fresh;
        }
        return current.get();
    }

    private void retire(Table table) {
        table.retiredByDrain = drains;
        retired.add(table);
    }

    private static CallMinute minute(long minute, Key key, Counts counts) {
        List<Long> buckets = new ArrayList<>(LatencyBuckets.COUNT);
        for (int i = 0; i < LatencyBuckets.COUNT; i++) {
            buckets.add(counts.buckets.get(i));
        }
        return new CallMinute(Instant.ofEpochSecond(minute * 60), key.orgHandle(), key.apiId(), key.resource(),
                key.applicationId(), key.statusClass(), counts.requests.sum(), counts.latencyMicros.sum(), buckets);
    }

    private long minuteNow() {
        return Math.floorDiv(clock.millis(), 60_000L);
    }
}
