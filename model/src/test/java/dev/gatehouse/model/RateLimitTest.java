package dev.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitTest {

    @Test
    void aTierWithoutBurst_allowsItsRequestsAtOnce() {
        assertThat(RateLimit.of("Gold", 5000, Duration.ofMinutes(1)).burst()).isEqualTo(5000);
    }

    @Test
    void shares_divideRequestsAndBurst_butNeverBelowOne() {
        RateLimit tier = new RateLimit("Silver", 100, Duration.ofMinutes(1), 150);

        assertThat(tier.share(1)).isSameAs(tier);
        assertThat(tier.share(3)).isEqualTo(new RateLimit("Silver", 33, Duration.ofMinutes(1), 50));
        assertThat(RateLimit.of("Tiny", 2, Duration.ofSeconds(1)).share(5))
                .isEqualTo(RateLimit.of("Tiny", 1, Duration.ofSeconds(1)));
    }

    @Test
    void nonsense_isRefusedNamingTheValue() {
        assertThatThrownBy(() -> RateLimit.of("Zero", 0, Duration.ofMinutes(1)))
                .hasMessage("requests must be at least 1, was 0");
        assertThatThrownBy(() -> RateLimit.of("Fast", 1, Duration.ofMillis(10)))
                .hasMessage("window must be at least one second, was PT0.01S");
        assertThatThrownBy(() -> new RateLimit("Odd", 10, Duration.ofMinutes(1), 5))
                .hasMessage("burst must be at least requests (10), was 5");
    }
}
