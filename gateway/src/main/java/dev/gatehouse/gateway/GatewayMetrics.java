package dev.gatehouse.gateway;

import dev.gatehouse.gateway.decision.Check;
import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.gateway.decision.Refusal;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.ClientBinding;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's meters: {@value #LISTENERS}, a gauge of the event loops it listens on; {@value #REQUESTS}, a
 * timer with a latency histogram per environment, API, resource, application and status class; and
 * {@value #REFUSALS}, a counter per environment, refusal reason and the check that refused. Meters are looked up
 * in maps of their own keyed by small records, so recording a call costs a hash lookup and the timer's update, not
 * Micrometer's tag building. Label values come from the snapshot (API
 * IDs, resource templates, application IDs), never from the request, so their number is bounded by the
 * configuration; {@code none} stands for a call refused before the route or application was known.
 */
final class GatewayMetrics {

    static final String REQUESTS = "gatehouse.gateway.requests";
    static final String REFUSALS = "gatehouse.gateway.refusals";
    static final String LISTENERS = "gatehouse.gateway.listeners";
    static final String NONE = "none";

    private final MeterRegistry registry;
    private final String environment;
    private final ConcurrentMap<CallKey, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<RefusalKey, Counter> refusals = new ConcurrentHashMap<>();
    private final AtomicInteger listeners = new AtomicInteger();

    private record CallKey(String api, String resource, String application, String status) {
    }

    private record RefusalKey(Refusal refusal, Check check) {
    }

    GatewayMetrics(MeterRegistry registry, Environment environment) {
        this.registry = registry;
        this.environment = environment.wireName();
        Gauge.builder(LISTENERS, listeners, AtomicInteger::get)
                .description("Event loops the gateway listens on, one per CPU the process may use")
                .tag("environment", this.environment)
                .register(registry);
    }

    /** Records how many event loops the gateway listens on once it has started. */
    void listening(int eventLoops) {
        listeners.set(eventLoops);
    }

    /**
     * Records a finished call; {@code resource} is its {@linkplain RouteMatch.Found#resourceName resource name}
     * when it was routed, {@code status} a status class such as {@code 2xx}, or {@code cut_off}.
     */
    void record(Exchange exchange, String resource, String status, long nanos) {
        RouteMatch.Found route = exchange.route();
        ClientBinding client = exchange.client();
        CallKey key = new CallKey(route == null ? NONE : route.api().apiId(),
                route == null ? NONE : resource, client == null ? NONE : client.applicationId(), status);
        timers.computeIfAbsent(key, this::timer).record(nanos, TimeUnit.NANOSECONDS);
        Deny refusal = exchange.refusal();
        if (refusal != null) {
            refusals.computeIfAbsent(new RefusalKey(refusal.refusal(), refusal.check()), this::counter).increment();
        }
    }

    private Timer timer(CallKey key) {
        return Timer.builder(REQUESTS)
                .description("Calls answered by the gateway, by API, resource, application and status class")
                .tag("environment", environment)
                .tag("api", key.api())
                .tag("resource", key.resource())
                .tag("application", key.application())
                .tag("status", key.status())
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private Counter counter(RefusalKey key) {
        return Counter.builder(REFUSALS)
                .description("Calls the gateway refused, by reason and by the check that refused them")
                .tag("environment", environment)
                .tag("reason", key.refusal().code())
                .tag("check", key.check().wireName())
                .register(registry);
    }
}
