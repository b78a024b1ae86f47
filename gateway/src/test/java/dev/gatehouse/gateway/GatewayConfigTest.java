package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.model.Environment;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

    private static final GatewayConfig DEFAULTS = GatewayConfig.defaults(Environment.PRODUCTION, 8280);

    private static GatewayConfig with(String host, int port, Duration connect, Duration response, Duration refresh,
                                      Duration fetch, Set<String> algorithms, Duration skew) {
        return new GatewayConfig(Environment.PRODUCTION, host, port, connect, response, refresh, fetch, algorithms,
                skew, GatewayConfig.Limits.DEFAULT);
    }

    @Test
    void defaults_listenEverywhere_andAcceptEveryAsymmetricAlgorithm() {
        assertThat(DEFAULTS.host()).isEqualTo("0.0.0.0");
        assertThat(DEFAULTS.port()).isEqualTo(8280);
        assertThat(DEFAULTS.allowedAlgorithms()).containsExactlyInAnyOrder(
                "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");
        assertThat(DEFAULTS.jwksMinRefreshInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(DEFAULTS.clockSkew()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void badOptions_areRefused_withAMessageNamingTheOption() {
        GatewayConfig d = DEFAULTS;
        assertThatThrownBy(() -> new GatewayConfig(null, "h", 1, d.backendConnectTimeout(),
                d.backendResponseTimeout(), d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), d.allowedAlgorithms(),
                d.clockSkew(), d.limits())).hasMessage("environment must be set");
        assertThatThrownBy(() -> with(" ", 1, d.backendConnectTimeout(), d.backendResponseTimeout(),
                d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), d.allowedAlgorithms(), d.clockSkew()))
                .hasMessage("host must not be blank, got ' '");
        assertThatThrownBy(() -> with("h", 70_000, d.backendConnectTimeout(), d.backendResponseTimeout(),
                d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), d.allowedAlgorithms(), d.clockSkew()))
                .hasMessage("port must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> with("h", 1, Duration.ZERO, d.backendResponseTimeout(),
                d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), d.allowedAlgorithms(), d.clockSkew()))
                .hasMessage("backendConnectTimeout must be at least 1 ms, got PT0S");
        assertThatThrownBy(() -> with("h", 1, d.backendConnectTimeout(), Duration.ofSeconds(-1),
                d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), d.allowedAlgorithms(), d.clockSkew()))
                .hasMessage("backendResponseTimeout must be at least 1 ms, got PT-1S");
        assertThatThrownBy(() -> with("h", 1, d.backendConnectTimeout(), d.backendResponseTimeout(), null,
                d.jwksFetchTimeout(), d.allowedAlgorithms(), d.clockSkew()))
                .hasMessage("jwksMinRefreshInterval must be at least 1 ms, got null");
        assertThatThrownBy(() -> with("h", 1, d.backendConnectTimeout(), d.backendResponseTimeout(),
                d.jwksMinRefreshInterval(), Duration.ofNanos(5), d.allowedAlgorithms(), d.clockSkew()))
                .hasMessage("jwksFetchTimeout must be at least 1 ms, got PT0.000000005S");
        assertThatThrownBy(() -> with("h", 1, d.backendConnectTimeout(), d.backendResponseTimeout(),
                d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), Set.of("RS256", "HS256"), d.clockSkew()))
                .hasMessage("allowedAlgorithms: 'HS256' is not a supported JWS algorithm "
                        + "(supported: ES256, ES384, ES512, PS256, PS384, PS512, RS256, RS384, RS512)");
        assertThatThrownBy(() -> with("h", 1, d.backendConnectTimeout(), d.backendResponseTimeout(),
                d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), Set.of(), d.clockSkew()))
                .hasMessage("allowedAlgorithms must name at least one JWS algorithm");
        assertThatThrownBy(() -> with("h", 1, d.backendConnectTimeout(), d.backendResponseTimeout(),
                d.jwksMinRefreshInterval(), d.jwksFetchTimeout(), d.allowedAlgorithms(), Duration.ofMinutes(6)))
                .hasMessage("clockSkew must be between PT0S and PT5M, got PT6M");
    }

    @Test
    void badLimits_areRefused_withAMessageNamingTheOption() {
        assertThat(DEFAULTS.limits()).isEqualTo(new GatewayConfig.Limits(8192, 16384, Duration.ofSeconds(60)));
        assertThatThrownBy(() -> new GatewayConfig.Limits(100, 16384, Duration.ofSeconds(1)))
                .hasMessage("limits.maxRequestLineBytes must be at least 256, got 100");
        assertThatThrownBy(() -> new GatewayConfig.Limits(8192, 10, Duration.ofSeconds(1)))
                .hasMessage("limits.maxHeaderBytes must be at least 1024, got 10");
        assertThatThrownBy(() -> new GatewayConfig.Limits(8192, 16384, Duration.ZERO))
                .hasMessage("limits.idleTimeout must be at least 1 ms, got PT0S");
    }

    @Test
    void algorithmNone_isNeverAccepted() {
        assertThatThrownBy(() -> with("h", 1, DEFAULTS.backendConnectTimeout(), DEFAULTS.backendResponseTimeout(),
                DEFAULTS.jwksMinRefreshInterval(), DEFAULTS.jwksFetchTimeout(), Set.of("none"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("allowedAlgorithms: 'none' is not a supported JWS algorithm");
    }
}
