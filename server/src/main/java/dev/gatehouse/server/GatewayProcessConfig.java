package dev.gatehouse.server;

import dev.gatehouse.model.Environment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a gateway running as its own process (role {@code gateway}) is started with. It holds no database
 * connection: its configuration comes from the control plane and is kept in {@code stateDir}.
 *
 * @param bindHost            the address both listeners bind to
 * @param environment         the environment this gateway serves
 * @param port                the gateway's port (0 = any free port)
 * @param statusPort          the port of {@code /health} and {@code /ready}, for probes (0 = any free port)
 * @param controlPlaneUrl     the control plane's URL, without trailing slash
 * @param gatewayToken        the secret the control plane's gateway feed takes
 * @param gatewayId           this gateway's name in the control plane's list of gateways
 * @param address             how clients reach this gateway, shown to operators and named by DPoP proofs'
 *                            {@code htu} (behind a load balancer ending TLS); null means {@code http://localhost:{port}}
 *                            to operators, and DPoP proofs naming the connection's scheme and {@code Host}
 * @param stateDir            where the last snapshot is kept, to start from when the control plane is away
 * @param jwksRefreshInterval the shortest time between two fetches of one issuer's JWKS on unknown key IDs
 * @param retryInterval       the wait between attempts to reach the control plane
 * @param redisUrl            the Redis that the environment's gateways share rate-limit counts in; null counts
 *                            locally, each gateway allowing its share of a tier
 * @param analytics           how the gateway ships its analytics to the control plane
 */
public record GatewayProcessConfig(
        String bindHost,
        Environment environment,
        int port,
        int statusPort,
        String controlPlaneUrl,
        String gatewayToken,
        String gatewayId,
        String address,
        Path stateDir,
        Duration jwksRefreshInterval,
        Duration retryInterval,
        String redisUrl,
        AnalyticsOptions analytics) {

    public GatewayProcessConfig {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(jwksRefreshInterval, "jwksRefreshInterval");
        Objects.requireNonNull(retryInterval, "retryInterval");
        Objects.requireNonNull(analytics, "analytics");
        if (controlPlaneUrl == null || !controlPlaneUrl.matches("https?://[^\\s/]+(/[^\\s]*)?")
                || controlPlaneUrl.endsWith("/")) {
            throw new IllegalArgumentException("control-plane-url must be an http(s) URL without trailing slash, was '"
                    + controlPlaneUrl + "'");
        }
        if (gatewayToken == null) {
            throw new IllegalArgumentException("gateway-token is required for role gateway: the control plane's "
                    + "gateway token (env GATEHOUSE_GATEWAY_TOKEN)");
        }
        GatewayToken.check(gatewayToken);
        if (gatewayId == null || !gatewayId.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("gateway-id must be 1 to 64 letters, digits, '.', '_' or '-', was '"
                    + gatewayId + "'");
        }
        if (address != null && (!address.matches("https?://[^\\s/]+(/[^\\s]*)?") || address.endsWith("/"))) {
            throw new IllegalArgumentException("gateway-url must be an http(s) URL without trailing slash, was '"
                    + address + "'");
        }
        if (redisUrl != null && !redisUrl.matches("rediss?://\\S+")) {
            throw new IllegalArgumentException("redis-url must be a redis:// or rediss:// URL");
        }
        if (port < 0 || port > 65535 || statusPort < 0 || statusPort > 65535) {
            throw new IllegalArgumentException("ports must be between 0 and 65535, were " + port + " and " + statusPort);
        }
    }

    @Override
    public String toString() {
        return "GatewayProcessConfig[" + environment.wireName() + " on " + bindHost + ":" + port + ", status port "
                + statusPort + ", control plane " + controlPlaneUrl + ", id " + gatewayId + ", state " + stateDir
                + ", rate limits " + (redisUrl == null ? "local" : "in Redis") + "]";
    }
}
