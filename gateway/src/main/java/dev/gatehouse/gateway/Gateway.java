package dev.gatehouse.gateway;

import dev.gatehouse.gateway.analytics.AnalyticsShipper;
import dev.gatehouse.gateway.analytics.AnalyticsShipping;
import dev.gatehouse.gateway.analytics.CallAnalytics;
import dev.gatehouse.gateway.decision.Decision.Allow;
import dev.gatehouse.gateway.decision.Decision.Deny;
import dev.gatehouse.gateway.decision.Decision;
import dev.gatehouse.gateway.ratelimit.LocalRateLimiter;
import dev.gatehouse.gateway.ratelimit.Quota;
import dev.gatehouse.gateway.ratelimit.RateLimiter;
import dev.gatehouse.gateway.route.RouteMatch;
import dev.gatehouse.gateway.security.DpopProofCheck;
import dev.gatehouse.gateway.security.JwksCache;
import dev.gatehouse.gateway.security.LocalProofReplays;
import dev.gatehouse.gateway.security.OpaqueTokenResolver;
import dev.gatehouse.gateway.security.ProofReplays;
import dev.gatehouse.gateway.security.TokenVerifier;
import dev.gatehouse.gateway.sync.KeySetFile;
import dev.gatehouse.model.RateLimit;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.RouteResource;
import dev.gatehouse.model.snapshot.RoutedApi;
import dev.gatehouse.model.snapshot.SubscriptionGrant;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One environment's gateway: non-blocking HTTP listeners, one per CPU, that decide on every call from the current
 * snapshot and forward the calls they allow to their backends. Everything a call reads or counts (snapshot,
 * caches of verified tokens and keys, rate-limit buckets, meters, analytics) is shared by the listeners and safe
 * for concurrent use; each call stays on the event loop of the listener that took it.
 *
 * <p>Calls are served at {@code /{orgHandle}{context}/{version}{resourcePath}}. A snapshot is compiled once when
 * it is {@linkplain #apply applied} and swapped in atomically; each call reads the snapshot current when it
 * arrives and keeps it to the end. Refusals are RFC 9457 problem documents ({@code application/problem+json}).
 * Every answer carries the call's {@code X-Request-ID}; every call, allowed or refused, is timed and counted in the
 * meter registry, counted for analytics when it was routed to an API ({@link CallAnalytics}, shipped every interval
 * by the {@link AnalyticsShipper}) and written to the JSON access log ({@link AccessLog}) once its answer ends. Browsers' CORS
 * preflights for APIs that allow their origin are answered here ({@link Cors}).
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    private static final int BACKEND_POOL_SIZE = 64;
    private static final AtomicInteger EPHEMERAL_PORTS = new AtomicInteger();
    private static final String[] STATUS_CLASSES = {"1xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final Vertx vertx;
    private final GatewayConfig config;
    private final HttpClientAgent backendClient;
    private final WebClient jwksClient;
    private final JwksCache jwks;
    private final Admission admission;
    /** How callers reach this gateway when a load balancer stands between them (null: as it sees them). */
    private final String publicScheme;
    private final HostAndPort publicAuthority;
    private final Forwarder forwarder;
    private final GatewayMetrics metrics;
    private final AccessLog accessLog;
    private final RateLimiter rateLimiter;
    private final ProofReplays proofReplays;
    private final Clock clock;
    private final AtomicReference<CompiledSnapshot> current;
    private final CallAnalytics analytics;
    private final AnalyticsShipper analyticsShipper;
    /** The deployment of the listeners, one per event loop; null until started. */
    private volatile String listenersDeployment;

    /**
     * @param meters where the gateway's metrics go ({@code gatehouse.gateway.requests} and
     *               {@code gatehouse.gateway.refusals}, tagged with the environment); a Prometheus registry
     *               serves them at {@code /metrics}
     */
    public Gateway(Vertx vertx, GatewayConfig config, Clock clock, MeterRegistry meters) {
        this(vertx, config, clock, meters, new LocalRateLimiter(clock), null);
    }

    /**
     * A gateway that counts rate limits with {@code rateLimiter}, for example shared by every gateway in Redis, and
     * ships analytics of every call as {@code analytics} says; the other constructor counts rate limits in this
     * gateway alone, exact when it is the environment's only gateway, and keeps no analytics.
     *
     * @param analytics how to ship analytics; null keeps none
     */
    public Gateway(Vertx vertx, GatewayConfig config, Clock clock, MeterRegistry meters, RateLimiter rateLimiter,
                   AnalyticsShipping analytics) {
        this(vertx, config, clock, meters, rateLimiter, analytics, OpaqueTokenResolver.NONE);
    }

    /** A gateway that also accepts the built-in identity provider's opaque access tokens, resolved by {@code opaqueTokens}. */
    public Gateway(Vertx vertx, GatewayConfig config, Clock clock, MeterRegistry meters, RateLimiter rateLimiter,
                   AnalyticsShipping analytics, OpaqueTokenResolver opaqueTokens) {
        this(vertx, config, clock, meters, rateLimiter, analytics, opaqueTokens, new LocalProofReplays(clock));
    }

    /**
     * A gateway that remembers used DPoP proofs in {@code proofReplays}, for example shared by every gateway in
     * Redis; the other constructors remember them in this gateway alone.
     */
    public Gateway(Vertx vertx, GatewayConfig config, Clock clock, MeterRegistry meters, RateLimiter rateLimiter,
                   AnalyticsShipping analytics, OpaqueTokenResolver opaqueTokens, ProofReplays proofReplays) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.proofReplays = Objects.requireNonNull(proofReplays, "proofReplays");
        this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        this.metrics = new GatewayMetrics(Objects.requireNonNull(meters, "meters"), config.environment());
        this.accessLog = new AccessLog(clock, config.environment());
        this.backendClient = vertx.createHttpClient(
                Forwarder.clientOptions(config.backendConnectTimeout(), config.backendResponseTimeout()),
                new PoolOptions().setHttp1MaxSize(BACKEND_POOL_SIZE));
        this.jwksClient = WebClient.create(vertx, new WebClientOptions()
                .setUserAgent("Gatehouse-Gateway")
                .setFollowRedirects(false)
                .setConnectTimeout((int) config.jwksFetchTimeout().toMillis()));
        this.jwks = new JwksCache(vertx, jwksClient, clock, config.jwksMinRefreshInterval(),
                config.jwksFetchTimeout());
        TokenVerifier verifier = new TokenVerifier(jwks, Objects.requireNonNull(opaqueTokens, "opaqueTokens"), clock,
                config.jwsAlgorithms(), config.clockSkew());
        this.admission = new Admission(config.environment(), verifier, new DpopProofCheck(proofReplays));
        URI publicUrl = config.publicUrl();
        this.publicScheme = publicUrl == null ? null : publicUrl.getScheme().toLowerCase(Locale.ROOT);
        this.publicAuthority = publicUrl == null ? null : HostAndPort.create(publicUrl.getHost(), publicUrl.getPort());
        this.forwarder = new Forwarder(backendClient, config.backendConnectTimeout(),
                config.backendResponseTimeout());
        this.clock = clock;
        this.current = new AtomicReference<>(CompiledSnapshot.compile(GatewaySnapshot.empty(config.environment()),
                clock));
        this.analytics = analytics == null ? null : new CallAnalytics(clock);
        this.analyticsShipper = analytics == null ? null
                : new AnalyticsShipper(vertx, this.analytics, analytics, config.environment(), meters);
    }

    /**
     * Starts listening, on one event loop per CPU this process may use (as nginx's {@code worker_processes auto}),
     * the connections shared out among them; completes with the port actually bound (an ephemeral one, shared by
     * every listener, when the configured port is 0).
     */
    public Future<Integer> start() {
        int listeners = Math.max(1, Runtime.getRuntime().availableProcessors());
        // Vert.x shares a port among servers that listen on the same one; a negative port is a shared ephemeral
        // one, the same for every server listening on that negative number (port 0 would give each its own).
        int port = config.port() == 0 ? -EPHEMERAL_PORTS.incrementAndGet() : config.port();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setMaxInitialLineLength(config.limits().maxRequestLineBytes())
                .setMaxHeaderSize(config.limits().maxHeaderBytes())
                .setIdleTimeout((int) config.limits().idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        AtomicInteger boundPort = new AtomicInteger();
        return vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(options).requestHandler(Gateway.this::handle).listen(port)
                        .onSuccess(server -> boundPort.set(server.actualPort()));
            }
        }, new DeploymentOptions().setInstances(listeners)).map(deployment -> {
            listenersDeployment = deployment;
            if (analyticsShipper != null) {
                analyticsShipper.start();
            }
            metrics.listening(listeners);
            LOG.info("{} gateway listening on {}:{} with {} event loop(s)", config.environment().wireName(),
                    config.host(), boundPort.get(), listeners);
            return boundPort.get();
        });
    }

    /**
     * Compiles {@code snapshot} and makes it the one calls are decided on, unless a snapshot of a higher version is
     * already in place (then this one is ignored). Thread-safe; may be called from any thread.
     *
     * @throws IllegalArgumentException if the snapshot is for another environment, or its backend signing key is not
     *                                  a usable key
     */
    public void apply(GatewaySnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        if (snapshot.environment() != config.environment()) {
            throw new IllegalArgumentException("a snapshot of the " + snapshot.environment().wireName()
                    + " environment cannot be applied to the " + config.environment().wireName() + " gateway");
        }
        if (snapshot.version() < current.get().version()) {
            LOG.debug("ignoring snapshot {}: version {} is in place", snapshot.version(), current.get().version());
            return;
        }
        CompiledSnapshot compiled = CompiledSnapshot.compile(snapshot, clock);
        CompiledSnapshot inPlace = current.accumulateAndGet(compiled,
                (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
        if (inPlace == compiled) {
            jwks.retainOnly(compiled.jwksUris());
            LOG.info("{} gateway serves snapshot {}", config.environment().wireName(), compiled.version());
        }
    }

    /**
     * Keeps the identity providers' keys in {@code file}: those saved there serve at once, and every fetch saves
     * them anew, so that after a restart this gateway verifies tokens of a provider that is away. Call it before
     * the first snapshot is applied.
     */
    public void keepKeySetsIn(KeySetFile file) {
        jwks.restore(file.load());
        jwks.onFetched(known -> vertx.executeBlocking(() -> {
            file.save(known);
            return null;
        }).onFailure(e -> LOG.warn("could not save the key sets: {}", e.getMessage())));
    }

    /** The version of the snapshot calls are decided on; 0 before any is applied. */
    public long snapshotVersion() {
        return current.get().version();
    }

    /** The snapshot calls are decided on; an empty one of version 0 before any is applied. */
    public GatewaySnapshot snapshot() {
        return current.get().source();
    }

    /**
     * Stops listening, ships the analytics counted so far (for a few seconds at most), and closes the connections to
     * backends and identity providers.
     */
    public Future<Void> stop() {
        String deployment = listenersDeployment;
        Future<Void> closed = deployment == null ? Future.succeededFuture() : vertx.undeploy(deployment);
        return closed.eventually(() -> analyticsShipper == null ? Future.succeededFuture() : analyticsShipper.stop())
                .eventually(() -> backendClient.close()).eventually(() -> {
            jwksClient.close();
            rateLimiter.close();
            proofReplays.close();
            return Future.succeededFuture();
        });
    }

    private void handle(HttpServerRequest request) {
        Exchange exchange = new Exchange(System.nanoTime(),
                Correlation.requestId(request.headers().get(Correlation.REQUEST_ID)),
                Correlation.traceparent(request.headers().get(Correlation.TRACEPARENT)));
        HttpServerResponse response = request.response();
        response.headers().set(Correlation.REQUEST_ID, exchange.requestId());
        response.endHandler(ended -> finish(request, exchange));
        response.closeHandler(closed -> {
            if (!response.ended()) {
                exchange.cutOff();
            }
            finish(request, exchange);
        });
        CompiledSnapshot snapshot = current.get();
        if (Cors.answeredPreflight(request, snapshot, exchange)) {
            return;
        }
        Cors.decorateAnswer(request, exchange);
        if (Forwarder.hasBody(request)) {
            request.pause();
        }
        Future<Decision> decision;
        try {
            decision = admission.decide(snapshot, request.method().name(),
                    publicScheme != null ? publicScheme : request.scheme() == null ? "http" : request.scheme(),
                    publicAuthority != null ? publicAuthority : request.authority(),
                    request.path() == null ? "" : request.path(), request.headers(), exchange);
        } catch (RuntimeException e) {
            decision = Future.failedFuture(e);
        }
        Context listener = Vertx.currentContext();
        decision.onComplete(outcome -> onContext(listener, () -> {
            try {
                if (outcome.failed()) {
                    fail(request, exchange, outcome.cause());
                    return;
                }
                switch (outcome.result()) {
                    case Allow allow -> {
                        exchange.allowed(allow.client());
                        withinRateLimit(request, snapshot, allow, exchange);
                    }
                    case Deny deny -> {
                        exchange.refused(deny);
                        Problems.refuse(request, deny, false);
                    }
                }
            } catch (RuntimeException e) {
                fail(request, exchange, e);
            }
        }));
    }

    /**
     * Runs {@code step} on the event loop of the listener that took the request: a decision that waited on work
     * another listener started (a key set fetch several callers wait for) completes on that listener's loop.
     */
    private static void onContext(Context listener, Runnable step) {
        if (listener == null || Vertx.currentContext() == listener) {
            step.run();
        } else {
            listener.runOnContext(ignored -> step.run());
        }
    }

    /** Whose allowance a call spends, from the narrowest owner to the widest. */
    private enum Level { SUBSCRIPTION, APPLICATION, API, RESOURCE }

    /** One allowance a call spends: whose, under which counter key, and how much. */
    private record Allowance(Level level, String key, RateLimit limit) {

        /** How a refusal names the spent allowance; built only for a refused call. */
        String owner(Allow allow) {
            RoutedApi api = allow.route().api();
            String applicationId = allow.client().applicationId();
            return switch (level) {
                case SUBSCRIPTION -> "application '" + applicationId + "' has spent its " + limit.policy()
                        + " allowance for " + Admission.label(api);
                case APPLICATION -> "application '" + applicationId + "' has spent its " + limit.policy()
                        + " allowance over all APIs";
                case API -> Admission.label(api) + " has spent its " + limit.policy()
                        + " allowance over all applications";
                case RESOURCE -> allow.route().resourceName() + " of " + Admission.label(api) + " has spent its "
                        + limit.policy() + " allowance over all applications";
            };
        }
    }

    /**
     * The last check, after every other has passed: the tiers. A call spends one from each allowance that limits
     * it, the subscription's, then the application's over all its APIs, then the API's over all applications, then
     * the resource's over all applications, and is refused with 429 and {@code Retry-After} at the first that is
     * spent. A call let through carries the {@code RateLimit} headers of the subscription's tier, or of the first
     * tier that limits it.
     */
    private void withinRateLimit(HttpServerRequest request, CompiledSnapshot snapshot, Allow allow,
                                 Exchange exchange) {
        RoutedApi api = allow.route().api();
        RouteResource resource = allow.route().resource();
        String applicationId = allow.client().applicationId();
        SubscriptionGrant subscription = snapshot.subscription(applicationId, api.apiId());
        boolean subscriptionLimited = subscription != null && subscription.limit() != null;
        RateLimit applicationLimit = allow.client().applicationLimit();
        if (!subscriptionLimited && applicationLimit == null && api.limit() == null && resource.limit() == null) {
            forwarder.forward(request, allow, snapshot.backend(api.apiId()), snapshot.backendJwts(), exchange);
            return;
        }
        String environment = config.environment().wireName();
        List<Allowance> allowances = new ArrayList<>(4);
        if (subscriptionLimited) {
            allowances.add(new Allowance(Level.SUBSCRIPTION,
                    environment + ":subscription:" + api.apiId() + ":" + applicationId, subscription.limit()));
        }
        if (applicationLimit != null) {
            allowances.add(new Allowance(Level.APPLICATION, environment + ":application:" + applicationId,
                    applicationLimit));
        }
        if (api.limit() != null) {
            allowances.add(new Allowance(Level.API, environment + ":api:" + api.apiId(), api.limit()));
        }
        if (resource.limit() != null) {
            allowances.add(new Allowance(Level.RESOURCE, environment + ":resource:" + api.apiId() + ":"
                    + allow.route().resourceName(), resource.limit()));
        }
        spend(request, snapshot, allow, exchange, allowances, 0, null);
    }

    private void spend(HttpServerRequest request, CompiledSnapshot snapshot, Allow allow, Exchange exchange,
                       List<Allowance> allowances, int next, Quota shown) {
        if (next == allowances.size()) {
            request.response().headers()
                    .set(Problems.RATE_LIMIT_POLICY, shown.policyHeader())
                    .set(Problems.RATE_LIMIT, shown.stateHeader());
            forwarder.forward(request, allow, snapshot.backend(allow.route().api().apiId()), snapshot.backendJwts(),
                    exchange);
            return;
        }
        Allowance allowance = allowances.get(next);
        rateLimiter.acquire(allowance.key(), allowance.limit()).onComplete(counted -> {
            try {
                if (counted.failed()) {
                    fail(request, exchange, counted.cause());
                    return;
                }
                Quota quota = counted.result();
                if (!quota.granted()) {
                    Deny deny = Deny.rateLimited(quota, allowance.owner(allow) + "; retry in "
                            + quota.retryAfterSeconds() + " s");
                    exchange.refused(deny);
                    Problems.refuse(request, deny, false);
                    return;
                }
                spend(request, snapshot, allow, exchange, allowances, next + 1, shown != null ? shown : quota);
            } catch (RuntimeException e) {
                fail(request, exchange, e);
            }
        });
    }

    /** Reports a call once, when its answer has ended or its connection closed first. */
    private void finish(HttpServerRequest request, Exchange exchange) {
        if (!exchange.finish()) {
            return;
        }
        long nanos = System.nanoTime() - exchange.startNanos();
        HttpServerResponse response = request.response();
        int status = response.getStatusCode();
        String statusClass = response.ended() ? STATUS_CLASSES[Math.min(status / 100, 5)] : "cut_off";
        RouteMatch.Found route = exchange.route();
        String resource = route == null ? null : route.resourceName();
        metrics.record(exchange, resource, statusClass, nanos);
        if (analytics != null && route != null) {
            analytics.record(route.api().orgHandle(), route.api().apiId(), resource,
                    exchange.client() == null ? null : exchange.client().applicationId(), statusClass, nanos);
        }
        accessLog.log(request, exchange, status, nanos);
    }

    private static void fail(HttpServerRequest request, Exchange exchange, Throwable failure) {
        LOG.error("unexpected failure on {} {}", request.method(), request.path(), failure);
        exchange.refused(Problems.internalError());
        Problems.refuse(request, Problems.internalError(), true);
    }
}
