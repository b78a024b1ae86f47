package dev.gatehouse.gateway.analytics;

import dev.gatehouse.model.analytics.AnalyticsBatch;
import io.vertx.core.Future;

/**
 * Where a gateway's analytics go: the control plane, over HTTP from a gateway process, or straight into the store
 * when the gateway runs inside the control plane's process. A failed future means the batch was not stored and is
 * sent again later; storing a batch twice must count it once.
 */
@FunctionalInterface
public interface AnalyticsSink {

    Future<Void> ship(AnalyticsBatch batch);
}
