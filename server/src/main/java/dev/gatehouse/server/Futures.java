package dev.gatehouse.server;

import io.vertx.core.Future;
import java.util.concurrent.ExecutionException;

/** Start-up and shut-down run on the main thread, which may wait for Vert.x; event loops never call this. */
final class Futures {

    private Futures() {
    }

    /** Waits for the future; its failure is thrown as it is when unchecked. */
    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
