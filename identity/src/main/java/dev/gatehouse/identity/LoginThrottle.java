package dev.gatehouse.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Brute-force protection for password checks, per username and per client IP: after
 * {@link #FREE_FAILURES} failures in a row for a username ({@link #IP_FREE_FAILURES} from an address), each
 * further attempt must wait a delay that doubles with every failure (1 s, 2 s, 4 s, ..., at most
 * {@link #LOCKOUT}), and after {@link #USER_LOCKOUT_FAILURES} failures for a username (or
 * {@link #IP_LOCKOUT_FAILURES} from an address) it is locked out for {@link #LOCKOUT}. The delay is enforced by
 * refusing early attempts, never by sleeping on a worker thread. A username that does not exist is throttled
 * like one that does, so the throttle tells nothing about which users exist. A successful sign-in clears the
 * username's count but not the address's, so an attacker cannot reset their address with an account of their
 * own.
 *
 * <p>Counts live in this process's memory, bounded and forgotten {@link #FORGET_AFTER} after the last failure
 * by the injected clock: with N replicas an attacker gets up to N times the attempts, which still bounds a
 * guessing attack to a few hundred tries an hour per account.
 */
final class LoginThrottle {

    static final int FREE_FAILURES = 3;
    static final int IP_FREE_FAILURES = 10;
    static final int USER_LOCKOUT_FAILURES = 10;
    static final int IP_LOCKOUT_FAILURES = 50;
    static final Duration LOCKOUT = Duration.ofMinutes(15);
    static final Duration FORGET_AFTER = Duration.ofHours(1);

    private record Failures(int count, Instant blockedUntil) {
    }

    private final Clock clock;
    private final Cache<String, Failures> failures;

    LoginThrottle(Clock clock) {
        this.clock = clock;
        this.failures = Caffeine.newBuilder()
                .maximumSize(100_000)
                .expireAfterWrite(FORGET_AFTER)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    /** Whether a password check for this username from this address may be attempted now. */
    boolean allows(String orgId, String username, String clientIp) {
        Instant now = clock.instant();
        return keys(orgId, username, clientIp).stream()
                .map(failures::getIfPresent)
                .noneMatch(found -> found != null && now.isBefore(found.blockedUntil()));
    }

    void failed(String orgId, String username, String clientIp) {
        Instant now = clock.instant();
        List<String> keys = keys(orgId, username, clientIp);
        failures.asMap().compute(keys.get(0), (key, old) -> next(old, FREE_FAILURES, USER_LOCKOUT_FAILURES, now));
        failures.asMap().compute(keys.get(1), (key, old) -> next(old, IP_FREE_FAILURES, IP_LOCKOUT_FAILURES, now));
    }

    void succeeded(String orgId, String username) {
        failures.invalidate(userKey(orgId, username));
    }

    /**
     * Whether this address may guess at a short code (a device's user code, RFC 8628 section 5.1) now. Wrong codes
     * count per address apart from passwords, on the username's scale ({@link #FREE_FAILURES} free, locked out
     * after {@link #USER_LOCKOUT_FAILURES}), and a right code does not clear them: an attacker could otherwise
     * reset the count with codes of their own.
     */
    boolean allowsGuess(String orgId, String clientIp) {
        Failures found = failures.getIfPresent(guessKey(orgId, clientIp));
        return found == null || !clock.instant().isBefore(found.blockedUntil());
    }

    void guessFailed(String orgId, String clientIp) {
        Instant now = clock.instant();
        failures.asMap().compute(guessKey(orgId, clientIp),
                (key, old) -> next(old, FREE_FAILURES, USER_LOCKOUT_FAILURES, now));
    }

    private static String guessKey(String orgId, String clientIp) {
        return "guess:" + orgId + ":" + clientIp;
    }

    private static Failures next(Failures old, int free, int lockoutAfter, Instant now) {
        int count = old == null ? 1 : old.count() + 1;
        Duration delay = Duration.ofSeconds(1L << Math.min(Math.max(count - free - 1, 0), 20));
        Duration wait = count >= lockoutAfter ? LOCKOUT
                : count > free ? (delay.compareTo(LOCKOUT) < 0 ? delay : LOCKOUT)
                : Duration.ZERO;
        return new Failures(count, now.plus(wait));
    }

    private static List<String> keys(String orgId, String username, String clientIp) {
        return List.of(userKey(orgId, username), "ip:" + clientIp);
    }

    private static String userKey(String orgId, String username) {
        return "user:" + orgId + ":" + username;
    }
}
