package dev.gatehouse.gateway.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A Vert.x instance for tests whose blocked-thread checker reports any event-loop task running longer than
 * {@link #MAX_EVENT_LOOP_MILLIS} ms; {@link #blockedThreadWarnings()} collects the reports so a suite can fail on
 * them.
 */
public final class EventLoops {

    public static final long MAX_EVENT_LOOP_MILLIS = 1000;
    private static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

    private final Vertx vertx;
    private final Watch watch = new Watch();

    private EventLoops() {
        Logger checker = (Logger) LoggerFactory.getLogger(CHECKER_LOGGER);
        watch.setContext(checker.getLoggerContext());
        watch.start();
        checker.addAppender(watch);
        vertx = Vertx.vertx(new VertxOptions()
                .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
                .setBlockedThreadCheckInterval(100)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    }

    public static EventLoops watched() {
        return new EventLoops();
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The checker's reports so far; each names the blocked thread and how long it has been blocked. */
    public List<String> blockedThreadWarnings() {
        return List.copyOf(watch.warnings);
    }

    /** Closes Vert.x and stops watching. */
    public void close() {
        Await.result(vertx.close());
        ((Logger) LoggerFactory.getLogger(CHECKER_LOGGER)).detachAppender(watch);
        watch.stop();
    }

    private static final class Watch extends AppenderBase<ILoggingEvent> {
        private final List<String> warnings = new CopyOnWriteArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            warnings.add(event.getFormattedMessage());
        }
    }
}
