package dev.gatehouse.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.RateLimit;
import dev.gatehouse.model.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LocalRateLimiterTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final LocalRateLimiter limiter = new LocalRateLimiter(clock);
    private final RateLimit threePerMinute = RateLimit.of("Trial", 3, Duration.ofMinutes(1));

    @Test
    void aWindowsAllowance_isSpentThenRefusedUntilTheWindowEnds() {
        for (int i = 2; i >= 0; i--) {
            Quota granted = limiter.acquireNow("app-1", threePerMinute);
            assertThat(granted.granted()).isTrue();
            assertThat(granted.remaining()).isEqualTo(i);
        }
        clock.advance(Duration.ofSeconds(20));
        Quota refused = limiter.acquireNow("app-1", threePerMinute);

        assertThat(refused.granted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(40);
        assertThat(refused.policyHeader()).isEqualTo("\"Trial\";q=3;w=60");
        assertThat(refused.stateHeader()).isEqualTo("\"Trial\";r=0;t=40");

        clock.advance(Duration.ofSeconds(40));
        assertThat(limiter.acquireNow("app-1", threePerMinute).granted()).isTrue();
    }

    @Test
    void allowances_areKeptApartByKey_andAChangedTierStartsAFreshOne() {
        for (int i = 0; i < 3; i++) {
            limiter.acquireNow("app-1", threePerMinute);
        }

        assertThat(limiter.acquireNow("app-2", threePerMinute).granted()).isTrue();
        assertThat(limiter.acquireNow("app-1", RateLimit.of("Trial", 10, Duration.ofMinutes(1))).granted()).isTrue();
        assertThat(limiter.acquireNow("app-1", threePerMinute).granted()).isFalse();
    }

    @Test
    void aBurstAboveTheRate_isAllowedAtOnce_andRefillsByTheRate() {
        RateLimit bursty = new RateLimit("Bursty", 2, Duration.ofSeconds(10), 5);
        int granted = 0;
        while (limiter.acquireNow("app-1", bursty).granted()) {
            granted++;
        }
        assertThat(granted).isEqualTo(5);

        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.acquireNow("app-1", bursty).remaining()).isEqualTo(1);
    }
}
