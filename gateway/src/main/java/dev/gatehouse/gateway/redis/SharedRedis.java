package dev.gatehouse.gateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.RedisCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to the Redis an environment's gateways share, for what a gateway can also do alone while Redis is
 * away (count rate limits, remember DPoP proofs). Commands run asynchronously through Lettuce and their answers
 * resume on the caller's event loop. A command that fails, or does not answer within the command timeout, gets the
 * caller's fallback answer instead; for a short pause after that, Redis is not asked at all, and then it is tried
 * again, so the gateway goes back to sharing by itself once Redis answers. The first failure after a while is
 * logged, saying what the gateway does alone meanwhile.
 *
 * @param <V> the type of the values the connection reads and writes
 */
public final class SharedRedis<V> {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRedis.class);
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Clock clock;
    private final String whileAway;
    private final RedisClient client;
    private final StatefulRedisConnection<String, V> connection;
    private final AtomicReference<Instant> awayUntil = new AtomicReference<>(Instant.MIN);

    /**
     * @param redisUrl       for example {@code redis://redis:6379}
     * @param commandTimeout how long a command may take before the caller's fallback answers instead
     * @param whileAway      what the gateway does alone while Redis is away, for the log
     */
    public SharedRedis(Vertx vertx, String redisUrl, RedisCodec<String, V> codec, Clock clock,
                       Duration commandTimeout, String whileAway) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.whileAway = Objects.requireNonNull(whileAway, "whileAway");
        this.client = RedisClient.create(RedisURI.create(redisUrl));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        this.connection = client.connect(codec);
    }

    /** The connection the commands {@linkplain #ask asked} run on. */
    public StatefulRedisConnection<String, V> connection() {
        return connection;
    }

    /**
     * Sends {@code command} to Redis, unless Redis failed moments ago; completes on the caller's event loop with its
     * answer, or with {@code fallback}'s when Redis is away or the command fails.
     */
    public <T> Future<T> ask(Supplier<CompletionStage<T>> command, Supplier<T> fallback) {
        if (clock.instant().isBefore(awayUntil.get())) {
            return Future.succeededFuture(fallback.get());
        }
        Context context = vertx.getOrCreateContext();
        Promise<T> answer = Promise.promise();
        try {
            command.get().whenComplete((result, failure) -> context.runOnContext(ignored -> {
                if (failure == null) {
                    answer.complete(result);
                } else {
                    away(failure);
                    answer.complete(fallback.get());
                }
            }));
        } catch (RuntimeException e) {
            away(e);
            return Future.succeededFuture(fallback.get());
        }
        return answer.future();
    }

    private void away(Throwable failure) {
        Instant now = clock.instant();
        Instant before = awayUntil.getAndSet(now.plus(RETRY_AFTER_FAILURE));
        if (before.isBefore(now.minus(RETRY_AFTER_FAILURE))) {
            LOG.warn("Redis does not answer ({}); {}, and trying Redis again every {} ms", failure.toString(),
                    whileAway, RETRY_AFTER_FAILURE.toMillis());
        }
    }

    public void close() {
        connection.close();
        client.shutdown();
    }
}
