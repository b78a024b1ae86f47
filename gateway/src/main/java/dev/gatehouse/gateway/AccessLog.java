package dev.gatehouse.gateway;

import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.model.Environment;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per call on the logger {@value #LOGGER}: time, request and trace IDs, environment, caller address,
 * method, path (never the query string, which may carry secrets), status, duration, bytes sent, API, resource,
 * application, and for refusals the reason and the check. Nothing is built when the logger is off.
 */
final class AccessLog {

    static final String LOGGER = "gatehouse.access";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final Clock clock;
    private final String environment;

    AccessLog(Clock clock, Environment environment) {
        this.clock = clock;
        this.environment = environment.wireName();
    }

    void log(HttpServerRequest request, Exchange exchange, int status, long nanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        JsonObject line = new JsonObject()
                .put("time", clock.instant().toString())
                .put("request_id", exchange.requestId())
                .put("trace_id", Correlation.traceId(exchange.traceparent()))
                .put("environment", environment)
                .put("client", request.remoteAddress() == null ? null : request.remoteAddress().hostAddress())
                .put("method", request.method().name())
                .put("path", request.path())
                .put("status", status)
                .put("duration_ms", nanos / 1_000_000.0)
                .put("bytes_sent", request.response().bytesWritten());
        if (exchange.route() != null) {
            line.put("api", exchange.route().api().apiId()).put("resource",
                    exchange.route().resourceName());
        }
        if (exchange.client() != null) {
            line.put("application", exchange.client().applicationId());
        }
        Deny refusal = exchange.refusal();
        if (refusal != null) {
            line.put("refusal", refusal.refusal().code()).put("check", refusal.check().wireName());
        }
        LOG.info(line.encode());
    }
}
