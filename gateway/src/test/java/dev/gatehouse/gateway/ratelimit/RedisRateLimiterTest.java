package dev.gatehouse.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.gateway.testing.Await;
import dev.gatehouse.gateway.testing.LocalRedis;
import dev.gatehouse.model.RateLimit;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways' limiters on one real Redis (binaries from the embedded-redis jar): one allowance spent exactly
 * between them; with Redis gone, each counts its share locally; with Redis back, the count is shared again.
 */
class RedisRateLimiterTest {

    private static final RateLimit TEN_PER_MINUTE = RateLimit.of("Ten", 10, Duration.ofMinutes(1));

    private final Vertx vertx = Vertx.vertx();
    private final Clock clock = Clock.systemUTC();
    private LocalRedis redis;
    private RedisRateLimiter first;
    private RedisRateLimiter second;

    @BeforeEach
    void start() {
        redis = LocalRedis.start();
        first = limiter();
        second = limiter();
    }

    @AfterEach
    void stop() {
        first.close();
        second.close();
        redis.close();
        Await.result(vertx.close());
    }

    private RedisRateLimiter limiter() {
        return new RedisRateLimiter(vertx, redis.url(), clock, () -> 2, Duration.ofMillis(500));
    }

    private int grantedOf(int calls, String key) {
        int granted = 0;
        for (int i = 0; i < calls; i++) {
            RedisRateLimiter limiter = i % 2 == 0 ? first : second;
            if (Await.result(limiter.acquire(key, TEN_PER_MINUTE)).granted()) {
                granted++;
            }
        }
        return granted;
    }

    @Test
    void twoGateways_spendOneAllowanceExactly() {
        assertThat(grantedOf(30, "app-" + UUID.randomUUID())).isEqualTo(10);
        assertThat(first.shared()).isTrue();
        assertThat(first.fallbacks()).isZero();
    }

    @Test
    void withoutRedis_eachGatewayCountsItsShare_andSharesAgainWhenRedisIsBack() {
        redis.stop();
        String key = "app-" + UUID.randomUUID();

        Quota local = Await.result(first.acquire(key, TEN_PER_MINUTE));
        assertThat(local.granted()).isTrue();
        assertThat(local.limit()).isEqualTo(TEN_PER_MINUTE.share(2));
        assertThat(first.shared()).isFalse();
        assertThat(grantedOf(20, key) + 1).as("each of two gateways allows half of the tier").isEqualTo(10);
        assertThat(first.fallbacks()).isPositive();

        redis.restart();
        String fresh = "app-" + UUID.randomUUID();
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    Await.result(first.acquire(fresh, TEN_PER_MINUTE));
                    assertThat(first.shared()).isTrue();
                });
    }
}
