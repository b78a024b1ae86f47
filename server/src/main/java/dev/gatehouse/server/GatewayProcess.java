package dev.gatehouse.server;

import static dev.gatehouse.server.Futures.await;

import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.analytics.AnalyticsSink;
import dev.gatehouse.gateway.analytics.HttpAnalyticsSink;
import dev.gatehouse.gateway.ratelimit.LocalRateLimiter;
import dev.gatehouse.gateway.ratelimit.RateLimiter;
import dev.gatehouse.gateway.ratelimit.RedisRateLimiter;
import dev.gatehouse.gateway.security.HttpOpaqueTokenResolver;
import dev.gatehouse.gateway.security.LocalProofReplays;
import dev.gatehouse.gateway.security.RedisProofReplays;
import dev.gatehouse.gateway.sync.KeySetFile;
import dev.gatehouse.gateway.sync.SnapshotFeedClient;
import dev.gatehouse.gateway.sync.SnapshotFile;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway as a process of its own (role {@code gateway}): one environment's gateway, fed by the control plane's
 * gateway feed, with no database. It starts from the snapshot saved on its disk when there is one, so it serves
 * even when the control plane is away, and saves each new snapshot before serving it. A status listener answers
 * {@code /health} (the process runs), {@code /ready} (it has a configuration to serve; and how rate limits are
 * counted: shared in Redis, or locally, each gateway allowing its share) and {@code /metrics} (Prometheus). It posts
 * its analytics to the control plane every interval, keeping them in a bounded buffer while the control plane is
 * away.
 */
public final class GatewayProcess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayProcess.class);
    private static final Duration FEED_TIMEOUT = Duration.ofSeconds(40);
    /** A count in Redis that takes longer than this is made locally instead: calls must not wait on Redis. */
    private static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);
    private static final Duration ANALYTICS_TIMEOUT = Duration.ofSeconds(10);
    /** How long a call waits for the control plane to say what an opaque token stands for. */
    private static final Duration TOKEN_RESOLUTION_TIMEOUT = Duration.ofSeconds(5);

    private final Vertx vertx;
    private final Gateway gateway;
    private final SnapshotFeedClient feed;
    private final WebClient feedClient;
    private final HttpServer status;
    private final int port;

    private GatewayProcess(Vertx vertx, Gateway gateway, SnapshotFeedClient feed, WebClient feedClient,
                           HttpServer status, int port) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.feed = feed;
        this.feedClient = feedClient;
        this.status = status;
        this.port = port;
    }

    /** Starts the gateway and its status listener, serving the saved snapshot if any, and connects to the feed. */
    public static GatewayProcess start(GatewayProcessConfig config, Clock clock) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        try {
            AtomicInteger liveGateways = new AtomicInteger(1);
            Router router = Router.router(vertx);
            PrometheusMeterRegistry meters = Metrics.servedAt(router);
            RateLimiter rateLimiter = rateLimiter(config, vertx, clock, liveGateways::get, meters);
            WebClient feedClient = WebClient.create(vertx, new WebClientOptions()
                    .setUserAgent("Gatehouse-Gateway").setFollowRedirects(false).setConnectTimeout(5_000));
            AnalyticsSink toControlPlane = new HttpAnalyticsSink(feedClient, config.controlPlaneUrl(),
                    config.gatewayToken(), ANALYTICS_TIMEOUT);
            Gateway gateway = new Gateway(vertx, Gatehouse.gatewayConfig(config.environment(), config.bindHost(),
                    config.port(), config.jwksRefreshInterval(), config.address()), clock, meters, rateLimiter,
                    config.analytics().shipping(toControlPlane, config.gatewayId()),
                    new HttpOpaqueTokenResolver(feedClient, config.controlPlaneUrl(), config.environment(),
                            config.gatewayToken(), TOKEN_RESOLUTION_TIMEOUT),
                    config.redisUrl() == null ? new LocalProofReplays(clock)
                            : new RedisProofReplays(vertx, config.redisUrl(), clock, REDIS_TIMEOUT));
            int port = await(gateway.start());
            gateway.keepKeySetsIn(new KeySetFile(config.stateDir()
                    .resolve("key-sets-" + config.environment().wireName() + ".json")));
            SnapshotFile saved = new SnapshotFile(config.stateDir()
                    .resolve("snapshot-" + config.environment().wireName() + ".json"));
            saved.load().ifPresent(snapshot -> {
                gateway.apply(snapshot);
                LOG.info("serving the saved snapshot {} from {}", snapshot.version(), saved.path());
            });

            router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
            router.get("/ready").handler(ctx -> {
                long version = gateway.snapshotVersion();
                ctx.response().setStatusCode(version > 0 ? 200 : 503);
                ctx.json(new JsonObject().put("status", version > 0 ? "READY" : "WAITING_FOR_CONFIGURATION")
                        .put("snapshotVersion", version)
                        .put("liveGateways", liveGateways.get())
                        .put("rateLimits", rateLimiter.shared() ? "shared" : "local"));
            });
            HttpServer status = await(vertx.createHttpServer().requestHandler(router)
                    .listen(config.statusPort(), config.bindHost()));

            String address = config.address() != null ? config.address() : "http://localhost:" + port;
            SnapshotFeedClient feed = new SnapshotFeedClient(vertx, feedClient, new SnapshotFeedClient.Settings(
                    config.controlPlaneUrl(), config.environment(), config.gatewayId(), address,
                    config.gatewayToken(), FEED_TIMEOUT, config.retryInterval()),
                    gateway::snapshot, snapshot -> take(snapshot, gateway, saved), liveGateways::set);
            feed.start();
            LOG.info("{} gateway '{}' listening on {}:{} (status on port {}), configured by {}",
                    config.environment().wireName(), config.gatewayId(), config.bindHost(), port,
                    status.actualPort(), config.controlPlaneUrl());
            return new GatewayProcess(vertx, gateway, feed, feedClient, status, port);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * Counts shared in Redis when it is configured, with the mode they are in and the calls counted locally while
     * Redis was away as meters; counts of this gateway alone otherwise.
     */
    private static RateLimiter rateLimiter(GatewayProcessConfig config, Vertx vertx, Clock clock,
                                           IntSupplier liveGateways, MeterRegistry meters) {
        if (config.redisUrl() == null) {
            return new LocalRateLimiter(clock, liveGateways);
        }
        RedisRateLimiter redis = new RedisRateLimiter(vertx, config.redisUrl(), clock, liveGateways, REDIS_TIMEOUT);
        Tags environment = Tags.of("environment", config.environment().wireName());
        Gauge.builder("gatehouse.gateway.rate.limits.shared", redis, limiter -> limiter.shared() ? 1 : 0)
                .tags(environment)
                .description("1 while rate limits are counted in Redis, 0 while this gateway counts its share locally")
                .register(meters);
        FunctionCounter.builder("gatehouse.gateway.rate.limit.local.counts", redis, RedisRateLimiter::fallbacks)
                .tags(environment)
                .description("Calls counted locally because Redis did not answer")
                .register(meters);
        return redis;
    }

    /** Saves first: a snapshot served is a snapshot this gateway can restart with. */
    private static void take(GatewaySnapshot snapshot, Gateway gateway, SnapshotFile saved) {
        try {
            saved.save(snapshot);
        } catch (RuntimeException e) {
            LOG.warn("could not save snapshot {}; serving it anyway: {}", snapshot.version(), e.getMessage());
        }
        gateway.apply(snapshot);
    }

    public int port() {
        return port;
    }

    public int statusPort() {
        return status.actualPort();
    }

    public long snapshotVersion() {
        return gateway.snapshotVersion();
    }

    @Override
    public void close() {
        feed.stop();
        await(status.close());
        await(gateway.stop());
        feedClient.close();
        await(vertx.close());
    }
}
