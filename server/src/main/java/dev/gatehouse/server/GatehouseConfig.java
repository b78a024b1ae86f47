package dev.gatehouse.server;

import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.store.StoreConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything one Gatehouse process is started with.
 *
 * @param bindHost              the address every listener binds to
 * @param controlPlanePort      the control plane, portal, console and built-in identity provider (0 = any free port)
 * @param productionPort        the production gateway (0 = any free port)
 * @param developmentPort       the development gateway (0 = any free port)
 * @param publicUrl             how clients reach the control plane, without trailing slash; null means
 *                              {@code http://localhost:{controlPlanePort}}. Issuers and token endpoints derive from it
 * @param productionGatewayUrl  how clients reach the production gateway, also the scheme and host DPoP proofs name;
 *                              null means {@code http://localhost:{port}}, and proofs naming what the gateway sees
 * @param developmentGatewayUrl how clients reach the development gateway; null means {@code http://localhost:{port}}
 * @param store                 the database
 * @param adminPassword         the first admin's password when the store is new; null means a random one, printed once
 * @param demo                  whether to add the demo organizations and API
 * @param snapshotInterval      how often gateways' configuration is refreshed from the store
 * @param jwksRefreshInterval   the shortest time between two fetches of one issuer's JWKS when tokens name an
 *                              unknown {@code kid}
 * @param gateways              whether this process runs the two gateways itself (role {@code all}) or only the
 *                              control plane (role {@code control-plane}), for gateways running as their own processes
 * @param gatewayToken          the secret gateway processes present to fetch configuration and ship analytics;
 *                              null keeps the gateway feed and the analytics intake closed
 * @param analytics             how this process's own gateways ship their analytics (role {@code all})
 * @param masterKey             seals the identity provider's private signing keys in the store
 */
public record GatehouseConfig(
        String bindHost,
        int controlPlanePort,
        int productionPort,
        int developmentPort,
        String publicUrl,
        String productionGatewayUrl,
        String developmentGatewayUrl,
        StoreConfig store,
        String adminPassword,
        boolean demo,
        Duration snapshotInterval,
        Duration jwksRefreshInterval,
        boolean gateways,
        String gatewayToken,
        AnalyticsOptions analytics,
        MasterKey masterKey) {

    public GatehouseConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(snapshotInterval, "snapshotInterval");
        Objects.requireNonNull(jwksRefreshInterval, "jwksRefreshInterval");
        Objects.requireNonNull(analytics, "analytics");
        Objects.requireNonNull(masterKey, "masterKey");
        checkPort("port", controlPlanePort);
        checkPort("production-port", productionPort);
        checkPort("development-port", developmentPort);
        checkUrl("public-url", publicUrl);
        checkUrl("production-gateway-url", productionGatewayUrl);
        checkUrl("development-gateway-url", developmentGatewayUrl);
        if (adminPassword != null && adminPassword.length() < 8) {
            throw new IllegalArgumentException("admin-password must be at least 8 characters");
        }
        GatewayToken.check(gatewayToken);
        if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
            throw new IllegalArgumentException("snapshot interval must be positive, was " + snapshotInterval);
        }
    }

    private static void checkPort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(option + " must be between 0 and 65535, was " + port);
        }
    }

    private static void checkUrl(String option, String url) {
        if (url != null && (!url.matches("https?://[^\\s/]+(/[^\\s]*)?") || url.endsWith("/"))) {
            throw new IllegalArgumentException(option + " must be an http(s) URL without trailing slash, was '" + url + "'");
        }
    }

    @Override
    public String toString() {
        return "GatehouseConfig[bindHost=" + bindHost + ", ports=" + controlPlanePort + "/" + productionPort + "/"
                + developmentPort + ", publicUrl=" + publicUrl + ", store=" + store + ", demo=" + demo
                + ", gateways=" + gateways + ", gatewayFeed=" + (gatewayToken == null ? "closed" : "open") + "]";
    }
}
