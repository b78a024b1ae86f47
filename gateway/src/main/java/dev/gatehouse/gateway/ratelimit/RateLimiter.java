package dev.gatehouse.gateway.ratelimit;

import dev.gatehouse.model.RateLimit;
import io.vertx.core.Future;

/**
 * Counts calls against rate-limit tiers. The key says whose allowance a call spends (for a subscription:
 * environment, API and application); the limit says how much there is. Implementations never block: the answer
 * comes back on the caller's Vert.x context.
 */
public interface RateLimiter extends AutoCloseable {

    Future<Quota> acquire(String key, RateLimit limit);

    /** Whether the counts are shared by every gateway of the environment, or kept by this gateway alone. */
    boolean shared();

    @Override
    default void close() {
    }
}
