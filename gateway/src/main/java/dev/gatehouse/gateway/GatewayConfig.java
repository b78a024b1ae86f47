package dev.gatehouse.gateway;

import com.nimbusds.jose.JWSAlgorithm;
import dev.gatehouse.gateway.security.TokenVerifier;
import dev.gatehouse.model.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The configuration of one environment's gateway.
 *
 * @param environment            the environment this gateway serves; it accepts only the credentials of that
 *                               environment's key type and only snapshots of that environment
 * @param host                   the address to listen on, for example {@code 0.0.0.0}
 * @param port                   the port to listen on, 0 for an ephemeral one
 * @param backendConnectTimeout  how long to wait for a connection to a backend before answering 502
 * @param backendResponseTimeout how long a backend may stay silent once the request is sent (before its response,
 *                               or between bytes of it) before the gateway answers 504 or cuts the call off
 * @param jwksMinRefreshInterval the least time between two fetches of one issuer's key set, however many tokens
 *                               with unknown key IDs arrive
 * @param jwksFetchTimeout       how long one fetch of a key set may take in all
 * @param allowedAlgorithms      the JWS algorithms accepted in tokens; a subset of RS256, RS384, RS512, PS256,
 *                               PS384, PS512, ES256, ES384, ES512 ({@code none} and HMAC are never accepted)
 * @param clockSkew              how far a token's {@code exp} and {@code nbf} may be off against the gateway's
 *                               clock, at most 5 minutes
 * @param limits                 what a caller's connection and request may take up
 * @param publicUrl              how callers reach this gateway ({@code https://api.example.com}) when that is not
 *                               what it sees (a load balancer ending TLS in front of it): the scheme and authority
 *                               DPoP proofs' {@code htu} must name; null to take the connection's scheme and the
 *                               request's {@code Host}
 */
public record GatewayConfig(
        Environment environment,
        String host,
        int port,
        Duration backendConnectTimeout,
        Duration backendResponseTimeout,
        Duration jwksMinRefreshInterval,
        Duration jwksFetchTimeout,
        Set<String> allowedAlgorithms,
        Duration clockSkew,
        Limits limits,
        URI publicUrl) {

    private static final Set<String> SUPPORTED_ALGORITHMS = TokenVerifier.SUPPORTED_ALGORITHMS.stream()
            .map(JWSAlgorithm::getName).collect(Collectors.toUnmodifiableSet());

    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * What one caller may take up on a gateway listener.
     *
     * @param maxRequestLineBytes the longest request line (method, URI, version); longer ones are answered 414
     * @param maxHeaderBytes      the most bytes all request headers together may have; more is answered 431
     * @param idleTimeout         a connection on which nothing is read or written for this long is closed: an idle
     *                            keep-alive connection, or a caller that stops sending midway (a slowloris stall)
     */
    public record Limits(int maxRequestLineBytes, int maxHeaderBytes, Duration idleTimeout) {

        /** 8 KiB request lines, 16 KiB of headers, 60 s idle. */
        public static final Limits DEFAULT = new Limits(8 * 1024, 16 * 1024, Duration.ofSeconds(60));

        public Limits {
            if (maxRequestLineBytes < 256) {
                throw new IllegalArgumentException("limits.maxRequestLineBytes must be at least 256, got "
                        + maxRequestLineBytes);
            }
            if (maxHeaderBytes < 1024) {
                throw new IllegalArgumentException("limits.maxHeaderBytes must be at least 1024, got "
                        + maxHeaderBytes);
            }
            requirePositive("limits.idleTimeout", idleTimeout);
        }
    }

    public GatewayConfig {
        if (environment == null) {
            throw new IllegalArgumentException("environment must be set");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank, got '" + host + "'");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        requirePositive("backendConnectTimeout", backendConnectTimeout);
        requirePositive("backendResponseTimeout", backendResponseTimeout);
        requirePositive("jwksMinRefreshInterval", jwksMinRefreshInterval);
        requirePositive("jwksFetchTimeout", jwksFetchTimeout);
        if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clockSkew must be between PT0S and " + MAX_CLOCK_SKEW + ", got "
                    + clockSkew);
        }
        if (limits == null) {
            throw new IllegalArgumentException("limits must be set");
        }
        if (allowedAlgorithms == null || allowedAlgorithms.isEmpty()) {
            throw new IllegalArgumentException("allowedAlgorithms must name at least one JWS algorithm");
        }
        if (publicUrl != null && (publicUrl.getScheme() == null || publicUrl.getHost() == null
                || !Set.of("http", "https").contains(publicUrl.getScheme().toLowerCase(Locale.ROOT)))) {
            throw new IllegalArgumentException("publicUrl must be an absolute http or https URL, got " + publicUrl);
        }
        allowedAlgorithms = Set.copyOf(allowedAlgorithms);
        for (String name : allowedAlgorithms) {
            if (!SUPPORTED_ALGORITHMS.contains(name)) {
                throw new IllegalArgumentException("allowedAlgorithms: '" + name
                        + "' is not a supported JWS algorithm (supported: "
                        + String.join(", ", new TreeSet<>(SUPPORTED_ALGORITHMS)) + ")");
            }
        }
    }

    /** A gateway whose callers reach it as it sees them (no {@code publicUrl}). */
    public GatewayConfig(Environment environment, String host, int port, Duration backendConnectTimeout,
                         Duration backendResponseTimeout, Duration jwksMinRefreshInterval, Duration jwksFetchTimeout,
                         Set<String> allowedAlgorithms, Duration clockSkew, Limits limits) {
        this(environment, host, port, backendConnectTimeout, backendResponseTimeout, jwksMinRefreshInterval,
                jwksFetchTimeout, allowedAlgorithms, clockSkew, limits, null);
    }

    /**
     * Listens on all interfaces; backends get 5 s to connect and 30 s to answer; an issuer's keys are refetched
     * at most every 30 s and a fetch may take 5 s; every supported algorithm; 60 s of clock skew; the default
     * {@link Limits}.
     */
    public static GatewayConfig defaults(Environment environment, int port) {
        return new GatewayConfig(environment, "0.0.0.0", port, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(5), SUPPORTED_ALGORITHMS, Duration.ofSeconds(60),
                Limits.DEFAULT);
    }

    Set<JWSAlgorithm> jwsAlgorithms() {
        return allowedAlgorithms.stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
    }

    private static void requirePositive(String option, Duration value) {
        if (value == null || value.toMillis() < 1) {
            throw new IllegalArgumentException(option + " must be at least 1 ms, got " + value);
        }
    }
}
