package dev.gatehouse.gateway.security;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * Collects a response body up to a limit. Past the limit it keeps nothing more and fails at the end, so an
 * oversized or endless answer costs at most {@code limit} bytes of memory.
 */
final class BoundedBody implements WriteStream<Buffer> {

    private final int limit;
    private final Buffer content = Buffer.buffer();
    private boolean overflowed;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    Buffer content() {
        return content;
    }

    @Override
    public Future<Void> write(Buffer data) {
        if (!overflowed && content.length() + data.length() > limit) {
            overflowed = true;
        }
        if (!overflowed) {
            content.appendBuffer(data);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<Void> end() {
        return overflowed
                ? Future.failedFuture(new JwksFetchException("the key set is larger than " + limit + " bytes"))
                : Future.succeededFuture();
    }

    @Override
    public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
    }

    @Override
    public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
    }

    @Override
    public boolean writeQueueFull() {
        return false;
    }

    @Override
    public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        return this;
    }
}
