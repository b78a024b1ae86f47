package dev.gatehouse.server;

import static dev.gatehouse.server.Futures.await;

import dev.gatehouse.controlplane.ControlPlane;
import dev.gatehouse.controlplane.ControlPlaneConfig;
import dev.gatehouse.controlplane.analytics.AnalyticsIntake;
import dev.gatehouse.controlplane.http.ManagementRouter;
import dev.gatehouse.controlplane.snapshot.GatewayFeed;
import dev.gatehouse.controlplane.snapshot.GatewaySigningKeys;
import dev.gatehouse.controlplane.snapshot.OpaqueTokenResolution;
import dev.gatehouse.controlplane.snapshot.SnapshotAssembler;
import dev.gatehouse.controlplane.snapshot.SnapshotPublisher;
import dev.gatehouse.gateway.Gateway;
import dev.gatehouse.gateway.GatewayConfig;
import dev.gatehouse.gateway.analytics.AnalyticsSink;
import dev.gatehouse.gateway.ratelimit.LocalRateLimiter;
import dev.gatehouse.identity.BuiltInIdentityProvider;
import dev.gatehouse.identity.IdpConfig;
import dev.gatehouse.identity.PasswordHasher;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.model.Environment;
import dev.gatehouse.store.Store;
import dev.gatehouse.ui.WebUi;
import dev.gatehouse.ui.WebUiConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Gatehouse process with every plane in it: the control plane and built-in identity provider on one
 * listener, and a gateway per environment on their own, all on one Vert.x instance over one store. Its gateways
 * hand their analytics straight to the store; gateway processes post theirs to the analytics intake.
 */
public final class Gatehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gatehouse.class);
    /**
     * How often the control plane rotates the identity provider's signing keys that are older than their
     * organization's policy allows ({@link BuiltInIdentityProvider#rotateAgedSigningKeys}); every replica checks, and
     * only one rotates each key.
     */
    static final Duration SIGNING_KEY_AGE_CHECK = Duration.ofHours(1);
    /** The first check, soon after start, so that a control plane restarted more often than hourly still checks. */
    static final Duration SIGNING_KEY_AGE_FIRST_CHECK = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final Store store;
    private final HttpServer controlPlaneServer;
    private final Map<Environment, Gateway> gateways;
    private final Map<Environment, Integer> gatewayPorts;
    private final SnapshotPublisher publisher;
    private final String publicUrl;
    private final Bootstrap.Outcome bootstrap;

    private Gatehouse(Vertx vertx, Store store, HttpServer controlPlaneServer, Map<Environment, Gateway> gateways,
                      Map<Environment, Integer> gatewayPorts, SnapshotPublisher publisher, String publicUrl,
                      Bootstrap.Outcome bootstrap) {
        this.vertx = vertx;
        this.store = store;
        this.controlPlaneServer = controlPlaneServer;
        this.gateways = gateways;
        this.gatewayPorts = gatewayPorts;
        this.publisher = publisher;
        this.publicUrl = publicUrl;
        this.bootstrap = bootstrap;
    }

    /**
     * Starts everything and returns once every listener accepts connections and the gateways serve the
     * configuration in the store.
     */
    public static Gatehouse start(GatehouseConfig config, Clock clock) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Store store = null;
        try {
            store = Store.open(config.store(), clock);
            Router router = Router.router(vertx);
            HttpServer server = await(vertx.createHttpServer().requestHandler(router)
                    .listen(config.controlPlanePort(), config.bindHost()));
            String publicUrl = config.publicUrl() != null ? config.publicUrl() : "http://localhost:" + server.actualPort();

            PrometheusMeterRegistry meters = Metrics.servedAt(router);
            AnalyticsIntake analytics = new AnalyticsIntake(vertx, store, config.gatewayToken());
            analytics.mount(router);
            AnalyticsSink inProcess = batch -> vertx.executeBlocking(() -> {
                analytics.ingest(batch);
                return null;
            }, false);
            BuiltInIdentityProvider identity = new BuiltInIdentityProvider(store,
                    new IdpConfig(publicUrl, Duration.ofHours(1)), new PasswordHasher(), config.masterKey(), clock);
            GatewaySigningKeys signingKeys = new GatewaySigningKeys(vertx, store, publicUrl, config.masterKey());
            try {
                store.read(tx -> {
                    identity.checkMasterKey(tx);
                    return null;
                });
                signingKeys.checkMasterKey();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            store.record(identity::sealLegacySigningKeys);
            signingKeys.sealLegacyKeys();
            Map<Environment, Gateway> gateways = new EnumMap<>(Environment.class);
            Map<Environment, Integer> ports = new EnumMap<>(Environment.class);
            Map<Environment, String> gatewayUrls = new EnumMap<>(Environment.class);
            if (config.gateways()) {
                for (Environment environment : Environment.values()) {
                    int port = environment == Environment.PRODUCTION ? config.productionPort() : config.developmentPort();
                    Gateway gateway = new Gateway(vertx,
                            gatewayConfig(environment, config.bindHost(), port, config.jwksRefreshInterval(),
                                    environment == Environment.PRODUCTION ? config.productionGatewayUrl()
                                            : config.developmentGatewayUrl()), clock,
                            meters, new LocalRateLimiter(clock),
                            config.analytics().shipping(inProcess, "local-" + environment.wireName()),
                            token -> vertx.executeBlocking(() -> identity.verify(token).map(VerifiedToken::claims), false));
                    int actual = await(gateway.start());
                    gateways.put(environment, gateway);
                    ports.put(environment, actual);
                    gatewayUrls.put(environment, "http://localhost:" + actual);
                }
            }
            gatewayUrls.put(Environment.PRODUCTION, Objects.requireNonNullElse(config.productionGatewayUrl(),
                    gatewayUrls.getOrDefault(Environment.PRODUCTION, "http://localhost:" + config.productionPort())));
            gatewayUrls.put(Environment.DEVELOPMENT, Objects.requireNonNullElse(config.developmentGatewayUrl(),
                    gatewayUrls.getOrDefault(Environment.DEVELOPMENT, "http://localhost:" + config.developmentPort())));

            identity.mount(router);
            ControlPlaneConfig controlPlaneConfig =
                    new ControlPlaneConfig(gatewayUrls, ControlPlaneConfig.DEFAULT_OPERATOR_ORGANIZATION);
            signingKeys.mount(router);
            Router api = await(new ControlPlane(vertx, store, identity, controlPlaneConfig, signingKeys, clock).router());
            router.route(ManagementRouter.BASE_PATH + "/*").subRouter(api);
            Map<String, String> gatewaysByName = new HashMap<>();
            gatewayUrls.forEach((environment, url) -> gatewaysByName.put(environment.wireName(), url));
            new WebUi(vertx, new WebUiConfig(publicUrl, "http://" + loopback(config.bindHost()) + ":" + server.actualPort(),
                    gatewaysByName, config.masterKey().derive("gatehouse web sign-in cookie")), clock).mount(router);
            GatewayFeed feed = new GatewayFeed(vertx, store, config.gatewayToken(), GatewayFeed.DEFAULT_HOLD);
            feed.mount(router);
            new OpaqueTokenResolution(vertx, identity, config.gatewayToken()).mount(router);

            Bootstrap.Outcome outcome = new Bootstrap(store, identity, controlPlaneConfig.operatorOrganization())
                    .run(config.adminPassword());
            if (config.demo()) {
                DemoBackend.mount(router);
                new DemoData(store, identity).seed(publicUrl);
            }

            SnapshotPublisher publisher = new SnapshotPublisher(vertx, new SnapshotAssembler(store, identity, signingKeys),
                    config.snapshotInterval());
            gateways.forEach((environment, gateway) -> publisher.subscribe(environment, gateway::apply));
            for (Environment environment : Environment.values()) {
                publisher.subscribe(environment, feed::publish);
            }
            await(publisher.start());
            store.onCommit(publisher::refresh);
            vertx.setPeriodic(SIGNING_KEY_AGE_FIRST_CHECK.toMillis(), SIGNING_KEY_AGE_CHECK.toMillis(),
                    timer -> vertx.executeBlocking(identity::rotateAgedSigningKeys, false)
                            .onFailure(e -> LOG.warn("the signing keys' age check failed: {}", e.toString())));
            router.get("/health").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
            LOG.info("Gatehouse started: control plane {}, production gateway {}, development gateway {}{}",
                    publicUrl, gatewayUrls.get(Environment.PRODUCTION), gatewayUrls.get(Environment.DEVELOPMENT),
                    config.gateways() ? "" : " (gateways run as their own processes)");
            return new Gatehouse(vertx, store, server, gateways, ports, publisher, publicUrl, outcome);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            vertx.close();
            throw e;
        }
    }

    /** Where this process reaches a listener bound to {@code bindHost}. */
    private static String loopback(String bindHost) {
        return bindHost == null || bindHost.equals("0.0.0.0") || bindHost.equals("::") ? "127.0.0.1"
                : bindHost.contains(":") ? "[" + bindHost + "]" : bindHost;
    }

    /**
     * A gateway's configuration: the defaults, but for where it listens, how often it may refetch a JWKS, and how
     * callers reach it ({@code publicUrl}, null when as it sees them).
     */
    static GatewayConfig gatewayConfig(Environment environment, String bindHost, int port,
                                       Duration jwksRefreshInterval, String publicUrl) {
        GatewayConfig defaults = GatewayConfig.defaults(environment, port);
        return new GatewayConfig(environment, bindHost, port, defaults.backendConnectTimeout(),
                defaults.backendResponseTimeout(), jwksRefreshInterval, defaults.jwksFetchTimeout(),
                defaults.allowedAlgorithms(), defaults.clockSkew(), defaults.limits(),
                publicUrl == null ? null : URI.create(publicUrl));
    }

    public String publicUrl() {
        return publicUrl;
    }

    public int controlPlanePort() {
        return controlPlaneServer.actualPort();
    }

    /** The port of an in-process gateway. */
    public int gatewayPort(Environment environment) {
        Integer port = gatewayPorts.get(environment);
        if (port == null) {
            throw new IllegalStateException("this process runs no gateways (role control-plane)");
        }
        return port;
    }

    public boolean runsGateways() {
        return !gateways.isEmpty();
    }

    /** What the first start created: the operator admin's password when it was generated, or null. */
    public Bootstrap.Outcome bootstrap() {
        return bootstrap;
    }

    public Store store() {
        return store;
    }

    @Override
    public void close() {
        publisher.stop();
        gateways.values().forEach(gateway -> await(gateway.stop()));
        await(controlPlaneServer.close());
        await(vertx.close());
        store.close();
    }
}
