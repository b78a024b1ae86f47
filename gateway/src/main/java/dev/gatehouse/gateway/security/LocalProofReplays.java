package dev.gatehouse.gateway.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Objects;

/**
 * The proofs this gateway has seen, in its memory: exact for an environment served by one gateway. At most
 * {@link #MAX_REMEMBERED_PROOFS} are kept; crowding one out early takes that many proofs signed with the keys of
 * valid bound tokens within a minute, since a proof is recorded only after its signature and token binding hold.
 * Entries expire on the injected clock, which is the system clock outside tests.
 */
public final class LocalProofReplays implements ProofReplays {

    static final int MAX_REMEMBERED_PROOFS = 100_000;

    private final Cache<String, Boolean> seen;

    public LocalProofReplays(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        long origin = clock.millis();
        this.seen = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED_PROOFS)
                .expireAfterWrite(DpopProofCheck.REPLAY_WINDOW)
                .ticker(() -> (clock.millis() - origin) * 1_000_000L)
                .build();
    }

    @Override
    public Future<Boolean> firstUse(String proofId) {
        return Future.succeededFuture(firstUseNow(proofId));
    }

    boolean firstUseNow(String proofId) {
        return seen.asMap().putIfAbsent(proofId, Boolean.TRUE) == null;
    }
}
