package dev.gatehouse.controlplane.analytics;

import dev.gatehouse.controlplane.http.GatewayCredential;
import dev.gatehouse.controlplane.http.ManagementRouter;
import dev.gatehouse.controlplane.http.Problem;
import dev.gatehouse.model.Environment;
import dev.gatehouse.model.Organization;
import dev.gatehouse.model.analytics.AnalyticsBatch;
import dev.gatehouse.model.analytics.AnalyticsCodec;
import dev.gatehouse.model.analytics.CallMinute;
import dev.gatehouse.model.snapshot.FeedProtocol;
import dev.gatehouse.store.Store;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the gateways' analytics and stores them: from gateway processes over HTTP
 * ({@code POST /internal/gateways/{environment}/analytics}, the gateway token as bearer token, a batch as JSON,
 * answered 204 once stored), and from gateways in this process through {@link #ingest}.
 *
 * <p>A batch is stored in one transaction, with its ID, so a batch sent again because its answer was lost counts
 * once; IDs are kept for a day. Rows of an organization that no longer exists are skipped. Storing analytics does
 * not advance the configuration revision.
 */
public final class AnalyticsIntake {

    /** Larger than any batch a gateway sends in one interval, small enough that nobody fills the memory with one. */
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;
    private static final Duration REMEMBER_BATCHES = Duration.ofDays(1);
    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsIntake.class);

    private final Vertx vertx;
    private final Store store;
    private final GatewayCredential credential;

    /** @param gatewayToken the secret gateway processes present; null closes the HTTP intake */
    public AnalyticsIntake(Vertx vertx, Store store, String gatewayToken) {
        this.vertx = vertx;
        this.store = store;
        this.credential = new GatewayCredential(gatewayToken);
    }

    public void mount(Router router) {
        router.post(FeedProtocol.ANALYTICS_ROUTE)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BATCH_BYTES))
                .handler(this::handle);
    }

    /** Blocking: stores a batch unless it was stored before. */
    public void ingest(AnalyticsBatch batch) {
        store.record(tx -> {
            if (!tx.analytics().markReceived(batch.batchId(), batch.gatewayId())) {
                return null;
            }
            tx.analytics().forgetBatchesBefore(store.clock().instant().minus(REMEMBER_BATCHES));
            Map<String, Optional<Organization>> organizations = new HashMap<>();
            for (CallMinute minute : batch.minutes()) {
                Optional<Organization> org = organizations.computeIfAbsent(minute.orgHandle(),
                        handle -> tx.organizations().findByHandle(handle));
                if (org.isPresent()) {
                    tx.analytics().add(org.get().id(), batch.environment(), minute);
                } else {
                    LOG.debug("skipping analytics of organization {}, which does not exist", minute.orgHandle());
                }
            }
            return null;
        });
    }

    private void handle(RoutingContext ctx) {
        Optional<Environment> admitted = credential.admit(ctx, "the analytics intake");
        if (admitted.isEmpty()) {
            return;
        }
        Environment environment = admitted.get();
        AnalyticsBatch batch;
        try {
            batch = AnalyticsCodec.decode(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
        } catch (IllegalArgumentException e) {
            ManagementRouter.render(ctx, Problem.invalid("body", e.getMessage()));
            return;
        }
        if (batch.environment() != environment) {
            ManagementRouter.render(ctx, Problem.invalid("environment", "a batch of the "
                    + batch.environment().wireName() + " environment cannot be sent for " + environment.wireName()));
            return;
        }
        vertx.executeBlocking(() -> {
            ingest(batch);
            return null;
        }, false).onComplete(stored -> {
            if (stored.succeeded()) {
                ctx.response().setStatusCode(204).end();
            } else {
                LOG.warn("could not store analytics batch {} of gateway {}: {}", batch.batchId(), batch.gatewayId(),
                        stored.cause().toString());
                ManagementRouter.render(ctx, Problem.unavailable("the analytics could not be stored; send them again"));
            }
        });
    }
}
