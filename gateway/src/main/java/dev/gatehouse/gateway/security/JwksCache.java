package dev.gatehouse.gateway.security;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys of the trusted issuers, fetched from their registered JWKS URIs and kept in memory.
 *
 * <p><b>What it guarantees.</b> Keys come only from the JWKS URI a snapshot registered for an issuer, never from
 * anything a token carries. Only RSA and EC public keys are kept (private parts and symmetric keys are dropped).
 * Fetching never blocks an event loop: it runs on the Vert.x {@link WebClient}, bounded by the fetch timeout (to
 * connect, between bytes, and overall) and by a size cap of {@value #MAX_JWKS_BYTES} bytes. However many requests
 * need a URI's keys at once, at most one fetch per URI is in flight and they all wait on it. A fetch starts at most
 * once per {@code minRefreshInterval} per URI, whatever triggers it: a first use, a token whose {@code kid} the
 * cached set lacks, or keys older than {@link #REFRESH_AFTER} (refetched in the background while the old keys keep
 * serving). A failed fetch never discards keys: while an identity provider is away, the keys already cached go on
 * verifying tokens. Keys can be restored from an earlier run ({@link #restore}) and each successful fetch can be
 * reported ({@link #onFetched}), so that a gateway restarted while an identity provider is away still verifies
 * that provider's tokens.
 *
 * <p><b>Why it is built so.</b> Refetching on an unknown {@code kid} follows key rotation without a restart or a
 * configuration change; the rate limit keeps a flood of tokens with made-up key IDs from turning the gateway into
 * an amplifier against the identity provider; the background refresh bounds how long a key the provider has
 * withdrawn stays trusted. Time comes from the injected {@link Clock}, so tests move a clock instead of sleeping.
 *
 * <p><b>What it costs.</b> One small synchronized section per lookup on a per-URI entry, never held across I/O.
 * After a rotation, tokens signed with the new key are refused until the next fetch is allowed, at most
 * {@code minRefreshInterval} later. An issuer whose first fetch fails refuses its tokens until a fetch succeeds.
 */
public final class JwksCache implements KeySetSource {

    /** The largest key set accepted, in bytes. */
    static final int MAX_JWKS_BYTES = 256 * 1024;

    /** Keys fetched longer ago than this are refetched in the background on their next use. */
    static final Duration REFRESH_AFTER = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(JwksCache.class);

    private final Vertx vertx;
    private final WebClient client;
    private final Clock clock;
    private final Duration minRefreshInterval;
    private final long fetchTimeoutMillis;
    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private volatile Consumer<Map<String, KnownKeys>> fetchListener = all -> { };

    /** A URI's public keys and when they were fetched. */
    public record KnownKeys(JWKSet keys, Instant fetchedAt) {

        public KnownKeys {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(fetchedAt, "fetchedAt");
        }
    }

    public JwksCache(Vertx vertx, WebClient client, Clock clock, Duration minRefreshInterval,
                     Duration fetchTimeout) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.minRefreshInterval = Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
        this.fetchTimeoutMillis = Objects.requireNonNull(fetchTimeout, "fetchTimeout").toMillis();
    }

    @Override
    public Future<JWKSet> keys(String jwksUri) {
        Entry entry = entries.computeIfAbsent(jwksUri, uri -> new Entry());
        Instant now = clock.instant();
        synchronized (entry) {
            if (entry.keys != null) {
                boolean stale = !now.isBefore(entry.fetchedAt.plus(REFRESH_AFTER));
                if (stale && entry.inFlight == null && mayFetch(entry, now)) {
                    startFetch(jwksUri, entry, now);
                }
                return Future.succeededFuture(entry.keys);
            }
            if (entry.inFlight != null) {
                return entry.inFlight;
            }
            if (!mayFetch(entry, now)) {
                return Future.failedFuture(entry.lastFailure);
            }
            return startFetch(jwksUri, entry, now);
        }
    }

    @Override
    public Future<JWKSet> refreshed(String jwksUri) {
        Entry entry = entries.computeIfAbsent(jwksUri, uri -> new Entry());
        Instant now = clock.instant();
        synchronized (entry) {
            if (entry.inFlight != null) {
                return entry.inFlight;
            }
            if (!mayFetch(entry, now)) {
                return entry.keys != null
                        ? Future.succeededFuture(entry.keys)
                        : Future.failedFuture(entry.lastFailure);
            }
            return startFetch(jwksUri, entry, now);
        }
    }

    /**
     * Takes keys fetched in an earlier run for URIs this cache knows nothing of yet; they serve at once and are
     * refetched in the background like any others once older than {@link #REFRESH_AFTER}.
     */
    public void restore(Map<String, KnownKeys> known) {
        known.forEach((jwksUri, saved) -> {
            Entry entry = entries.computeIfAbsent(jwksUri, uri -> new Entry());
            synchronized (entry) {
                if (entry.keys == null) {
                    entry.keys = publicSigningKeys(saved.keys());
                    entry.fetchedAt = saved.fetchedAt();
                }
            }
        });
    }

    /** Calls {@code listener} with every URI's known keys after each successful fetch, on the fetching thread. */
    public void onFetched(Consumer<Map<String, KnownKeys>> listener) {
        fetchListener = Objects.requireNonNull(listener, "listener");
    }

    /** Forgets the keys of every URI not in {@code jwksUris}: issuers a new snapshot no longer trusts. */
    public void retainOnly(Set<String> jwksUris) {
        entries.keySet().retainAll(jwksUris);
    }

    private boolean mayFetch(Entry entry, Instant now) {
        return entry.lastAttempt == null || !now.isBefore(entry.lastAttempt.plus(minRefreshInterval));
    }

    /** Starts a fetch; the caller holds the entry's lock. */
    private Future<JWKSet> startFetch(String jwksUri, Entry entry, Instant now) {
        entry.lastAttempt = now;
        Promise<JWKSet> answer = Promise.promise();
        entry.inFlight = answer.future();
        fetch(jwksUri).onComplete(result -> {
            JWKSet keys;
            synchronized (entry) {
                entry.inFlight = null;
                if (result.succeeded()) {
                    entry.keys = result.result();
                    entry.fetchedAt = clock.instant();
                    entry.lastFailure = null;
                } else {
                    entry.lastFailure = result.cause();
                    LOG.warn("cannot fetch the key set at {}: {}", jwksUri, result.cause().getMessage());
                }
                keys = entry.keys;
            }
            if (result.succeeded()) {
                fetchListener.accept(known());
            }
            if (keys != null) {
                answer.complete(keys);
            } else {
                answer.fail(result.cause());
            }
        });
        return answer.future();
    }

    private Map<String, KnownKeys> known() {
        Map<String, KnownKeys> known = new HashMap<>();
        entries.forEach((jwksUri, entry) -> {
            synchronized (entry) {
                if (entry.keys != null) {
                    known.put(jwksUri, new KnownKeys(entry.keys, entry.fetchedAt));
                }
            }
        });
        return known;
    }

    private Future<JWKSet> fetch(String jwksUri) {
        Promise<JWKSet> result = Promise.promise();
        long deadline = vertx.setTimer(fetchTimeoutMillis, id -> result.tryFail(
                new JwksFetchException("no complete answer within " + fetchTimeoutMillis + " ms")));
        BoundedBody body = new BoundedBody(MAX_JWKS_BYTES);
        Future<HttpResponse<Void>> response;
        try {
            response = client.getAbs(jwksUri)
                    .connectTimeout(fetchTimeoutMillis)
                    .idleTimeout(fetchTimeoutMillis)
                    .followRedirects(false)
                    .putHeader("Accept", "application/jwk-set+json, application/json")
                    .as(BodyCodec.pipe(body, true))
                    .send();
        } catch (RuntimeException e) {
            response = Future.failedFuture(new JwksFetchException("unusable URI: " + e.getMessage()));
        }
        response.onComplete(outcome -> {
            vertx.cancelTimer(deadline);
            if (outcome.failed()) {
                result.tryFail(outcome.cause() instanceof JwksFetchException
                        ? outcome.cause()
                        : new JwksFetchException(String.valueOf(outcome.cause().getMessage())));
            } else if (outcome.result().statusCode() != 200) {
                result.tryFail(new JwksFetchException("HTTP status " + outcome.result().statusCode()));
            } else {
                try {
                    result.tryComplete(publicSigningKeys(JWKSet.parse(body.content().toString())));
                } catch (ParseException e) {
                    result.tryFail(new JwksFetchException("not a JWK set: " + e.getMessage()));
                }
            }
        });
        return result.future();
    }

    private static JWKSet publicSigningKeys(JWKSet published) {
        return new JWKSet(published.getKeys().stream()
                .filter(key -> key instanceof RSAKey || key instanceof ECKey)
                .map(JWK::toPublicJWK)
                .toList());
    }

    /** What is known about one JWKS URI; guarded by its own monitor. */
    private static final class Entry {
        private JWKSet keys;
        private Instant fetchedAt;
        private Instant lastAttempt;
        private Throwable lastFailure;
        private Future<JWKSet> inFlight;
    }
}
