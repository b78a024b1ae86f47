package dev.gatehouse.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.testing.TestClock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A sign-in in progress, sealed in a cookie: opened by any replica sharing the key, by nothing else, and not late. */
class SignInCookieTest {

    private static final SignIn.Pending PENDING = new SignIn.Pending("acme", "state-1", "nonce-1", "verifier-1",
            "/portal/acme/apis");

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    @Test
    void anotherReplicaWithTheSameKey_opensIt_andNothingIsReadableWithout() {
        TestClock clock = new TestClock(TestClock.START);
        String sealed = new SignInCookie(key(1), clock).seal(PENDING);

        assertThat(new SignInCookie(key(1), clock).open(sealed)).contains(PENDING);
        assertThat(sealed).doesNotContain("verifier-1").doesNotContain("nonce-1");
        assertThat(new SignInCookie(key(2), clock).open(sealed)).isEmpty();
    }

    /** Changes the ciphertext's first character: every bit of a base64url character but the last one counts. */
    @Test
    void aTamperedOrLateCookie_opensToNothing() {
        TestClock clock = new TestClock(TestClock.START);
        SignInCookie cookies = new SignInCookie(key(1), clock);
        String sealed = cookies.seal(PENDING);
        String[] parts = sealed.split("\\.");
        char first = parts[3].charAt(0);
        parts[3] = (first == 'A' ? 'B' : 'A') + parts[3].substring(1);

        assertThat(cookies.open(String.join(".", parts))).isEmpty();
        assertThat(cookies.open("not a cookie")).isEmpty();
        clock.advance(SignInCookie.LIFETIME.plus(Duration.ofSeconds(1)));
        assertThat(cookies.open(sealed)).isEmpty();
    }
}
