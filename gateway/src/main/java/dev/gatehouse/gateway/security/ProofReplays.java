package dev.gatehouse.gateway.security;

import io.vertx.core.Future;

/**
 * Remembers the DPoP proofs already used (RFC 9449 section 11.1), by their key and {@code jti}, for as long as a
 * proof may be presented ({@link DpopProofCheck#MAX_AGE} plus the clock skew).
 */
public interface ProofReplays {

    /**
     * Records a proof's use; completes with true the first time {@code proofId} is seen, false for a replay.
     * Completes on the caller's event loop.
     */
    Future<Boolean> firstUse(String proofId);

    /** Releases what the memory holds on to (a connection); nothing by default. */
    default void close() {
    }
}
