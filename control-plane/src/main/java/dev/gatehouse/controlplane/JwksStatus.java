package dev.gatehouse.controlplane;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWKSet;
import dev.gatehouse.model.IdentityProvider;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether each external identity provider's key set (JWKS) can be fetched and read, so that an admin sees a
 * broken provider before its tokens are refused. A provider's key set is fetched when it is registered, again
 * when it is read and the last check is older than {@link #RECHECK_AFTER}, and on demand; a failure keeps the
 * time of the last success. The key set comes from an {@link OutboundTargets} target, not redirected. Blocking, at
 * most {@link #TIMEOUT} to connect and as much for the answer: operations call
 * it on their worker threads, outside store transactions. Checks of one provider are serialized on a lock of its
 * own (never inside the cache's map, whose bins other providers share), so concurrent reads of a stale status fetch
 * once; a list's stale providers are checked side by side.
 */
final class JwksStatus {

    static final Duration RECHECK_AFTER = Duration.ofMinutes(1);
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_BYTES = 512 * 1024;
    private static final int MAX_ERROR_LENGTH = 200;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    /**
     * @param status      {@code ok}, {@code unreachable} (no HTTP 200 answer), {@code invalid} (not a key set, or
     *                    an empty one) or {@code unknown} (nothing to fetch)
     * @param lastRefresh when the key set was last fetched and read; null if never
     * @param error       why the last check failed; null when it did not
     */
    record Check(String status, int keys, Instant lastRefresh, String error, Instant checkedAt) {

        JsonObject toJson() {
            JsonObject json = new JsonObject()
                    .put("status", status)
                    .put("keys", keys)
                    .put("lastRefresh", lastRefresh == null ? null : lastRefresh.toString());
            if (error != null) {
                json.put("error", error);
            }
            return json;
        }
    }

    private final Clock clock;
    private final Cache<String, Check> byProvider = Caffeine.newBuilder().maximumSize(10_000).build();
    /** One lock per provider, held while its key set is fetched (a ReentrantLock: it never pins a virtual thread). */
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    JwksStatus(Clock clock) {
        this.clock = clock;
    }

    /** What a built-in provider reports: it publishes its keys itself, so they are always there. */
    static JsonObject builtIn(int publishedKeys) {
        return new Check("ok", publishedKeys, null, null, null).toJson();
    }

    /** The provider's last check, checked again first if it is older than {@link #RECHECK_AFTER} or missing. */
    Check current(IdentityProvider idp) {
        Check known = byProvider.getIfPresent(idp.id());
        if (fresh(known)) {
            return known;
        }
        ReentrantLock lock = lockOf(idp.id());
        lock.lock();
        try {
            Check last = byProvider.getIfPresent(idp.id());
            if (fresh(last)) {
                return last;
            }
            Check checked = check(idp, last);
            byProvider.put(idp.id(), checked);
            return checked;
        } finally {
            lock.unlock();
        }
    }

    private boolean fresh(Check check) {
        return check != null && check.checkedAt().plus(RECHECK_AFTER).isAfter(clock.instant());
    }

    /** The last checks of several providers by ID, the stale ones checked again side by side (on virtual threads). */
    Map<String, Check> current(List<IdentityProvider> providers) {
        Map<String, Future<Check>> checks = new LinkedHashMap<>();
        try (ExecutorService checking = Executors.newVirtualThreadPerTaskExecutor()) {
            providers.forEach(idp -> checks.put(idp.id(), checking.submit(() -> current(idp))));
        }
        Map<String, Check> byId = new HashMap<>();
        checks.forEach((id, check) -> byId.put(id, check.resultNow()));
        return byId;
    }

    /** Fetches the provider's key set now. */
    Check refresh(IdentityProvider idp) {
        ReentrantLock lock = lockOf(idp.id());
        lock.lock();
        try {
            Check checked = check(idp, byProvider.getIfPresent(idp.id()));
            byProvider.put(idp.id(), checked);
            return checked;
        } finally {
            lock.unlock();
        }
    }

    private ReentrantLock lockOf(String idpId) {
        return locks.computeIfAbsent(idpId, id -> new ReentrantLock());
    }

    void forget(String idpId) {
        byProvider.invalidate(idpId);
        locks.remove(idpId);
    }

    private Check check(IdentityProvider idp, Check last) {
        Instant lastRefresh = last == null ? null : last.lastRefresh();
        Instant now = clock.instant();
        if (idp.jwksUri() == null) {
            return new Check("unknown", 0, lastRefresh, "the provider names no JWKS URI", now);
        }
        try {
            URI uri = URI.create(idp.jwksUri());
            OutboundTargets.check(uri);
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (response.statusCode() != 200) {
                return new Check("unreachable", 0, lastRefresh, "the JWKS URI answered HTTP " + response.statusCode(),
                        now);
            }
            if (body.length > MAX_BYTES) {
                return new Check("invalid", 0, lastRefresh, "the key set is larger than " + MAX_BYTES + " bytes", now);
            }
            JWKSet keys = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
            if (keys.getKeys().isEmpty()) {
                return new Check("invalid", 0, lastRefresh, "the key set has no keys", now);
            }
            return new Check("ok", keys.getKeys().size(), now, null, now);
        } catch (ParseException e) {
            return new Check("invalid", 0, lastRefresh, shortMessage(e), now);
        } catch (IOException | IllegalArgumentException e) {
            return new Check("unreachable", 0, lastRefresh, shortMessage(e), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check("unreachable", 0, lastRefresh, "interrupted", now);
        }
    }

    private static String shortMessage(Exception e) {
        String message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
    }
}
