package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.testing.TestClock;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-03-02T09:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void afterTheFreeFailures_eachAttemptWaitsADoublingDelay() {
        fail("alice", "10.0.0.1", LoginThrottle.FREE_FAILURES);
        assertThat(throttle.allows("org", "alice", "10.0.0.1")).isTrue();

        throttle.failed("org", "alice", "10.0.0.1");
        assertThat(throttle.allows("org", "alice", "10.0.0.1")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.allows("org", "alice", "10.0.0.1")).isTrue();

        throttle.failed("org", "alice", "10.0.0.1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.allows("org", "alice", "10.0.0.1")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.allows("org", "alice", "10.0.0.1")).isTrue();
    }

    @Test
    void wrongCodeGuesses_areCountedPerAddressApartFromPasswords_andLockOutAfterTen() {
        for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) {
            clock.advance(LoginThrottle.LOCKOUT);
            throttle.guessFailed("org", "10.0.0.1");
        }
        throttle.succeeded("org", "alice");

        assertThat(throttle.allowsGuess("org", "10.0.0.1")).as("locked out, not cleared by a sign-in").isFalse();
        assertThat(throttle.allowsGuess("org", "10.0.0.2")).isTrue();
        assertThat(throttle.allowsGuess("other-org", "10.0.0.1")).isTrue();
        assertThat(throttle.allows("org", "alice", "10.0.0.1")).as("passwords keep their own budget").isTrue();
        clock.advance(LoginThrottle.LOCKOUT);
        assertThat(throttle.allowsGuess("org", "10.0.0.1")).isTrue();
    }

    @Test
    void tooManyFailuresForAUser_lockItOutFromEveryAddressForTheLockoutPeriod() {
        for (int i = 0; i < LoginThrottle.USER_LOCKOUT_FAILURES; i++) {
            throttle.failed("org", "alice", "10.0.0." + i);
        }

        assertThat(throttle.allows("org", "alice", "192.168.1.1")).isFalse();
        assertThat(throttle.allows("org", "bob", "192.168.1.1")).isTrue();
        assertThat(throttle.allows("other-org", "alice", "192.168.1.1")).isTrue();
        clock.advance(LoginThrottle.LOCKOUT.minusSeconds(1));
        assertThat(throttle.allows("org", "alice", "192.168.1.1")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.allows("org", "alice", "192.168.1.1")).isTrue();
    }

    @Test
    void tooManyFailuresFromAnAddress_blockEveryUsernameFromIt() {
        for (int i = 0; i < LoginThrottle.IP_LOCKOUT_FAILURES; i++) {
            throttle.failed("org", "user" + i, "10.0.0.9");
        }

        assertThat(throttle.allows("org", "someone-else", "10.0.0.9")).isFalse();
        assertThat(throttle.allows("org", "someone-else", "10.0.0.10")).isTrue();
    }

    @Test
    void success_clearsTheUsersCountButNotTheAddresss() {
        fail("alice", "10.0.0.1", LoginThrottle.FREE_FAILURES);
        throttle.succeeded("org", "alice");
        fail("alice", "10.0.0.1", LoginThrottle.FREE_FAILURES);

        assertThat(throttle.allows("org", "alice", "10.0.0.2")).isTrue();
    }

    @Test
    void unknownUsernames_areThrottledLikeKnownOnes() {
        fail("nobody-here", "10.0.0.1", LoginThrottle.FREE_FAILURES + 1);

        assertThat(throttle.allows("org", "nobody-here", "10.0.0.2")).isFalse();
    }

    @Test
    void passwordGrantAndSignInForm_refuseAThrottledUser_evenWithTheRightPassword() {
        try (IdpServer server = IdpServer.start()) {
            Acme acme = new Acme(server, "acme");
            String wrong = "grant_type=password&username=alice&password=wrong";
            for (int i = 0; i <= LoginThrottle.FREE_FAILURES; i++) {
                server.post(server.tokenEndpoint("acme"), wrong, "", "Authorization", Acme.basic(acme.app));
            }

            HttpResponse<String> token = server.post(server.tokenEndpoint("acme"), "grant_type=password&username=alice"
                    + "&password=" + URLEncoder.encode(Acme.PASSWORD, StandardCharsets.UTF_8), "",
                    "Authorization", Acme.basic(acme.app));

            assertThat(token.statusCode()).isEqualTo(400);
            assertThat(IdpServer.json(token)).isEqualTo(Map.of("error", "invalid_grant",
                    "error_description", "too many failed sign-ins; try again later"));

            server.clock.advance(Duration.ofSeconds(1));
            HttpResponse<String> later = server.post(server.tokenEndpoint("acme"), "grant_type=password"
                    + "&username=alice&password=" + URLEncoder.encode(Acme.PASSWORD, StandardCharsets.UTF_8), "",
                    "Authorization", Acme.basic(acme.app));
            assertThat(later.statusCode()).isEqualTo(200);
        }
    }

    private void fail(String username, String ip, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed("org", username, ip);
        }
    }
}
