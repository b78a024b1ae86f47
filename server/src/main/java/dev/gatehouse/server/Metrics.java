package dev.gatehouse.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;

/** A process's meters, and where Prometheus scrapes them. */
final class Metrics {

    private Metrics() {
    }

    /** A new registry, served at {@code GET /metrics} of {@code router} in Prometheus's text format. */
    static PrometheusMeterRegistry servedAt(Router router) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(meters.scrape()));
        return meters;
    }
}
