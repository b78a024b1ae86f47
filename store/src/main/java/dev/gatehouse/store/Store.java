package dev.gatehouse.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * The database behind the control plane and the built-in identity provider: a pooled connection to H2 or
 * PostgreSQL, migrated by Flyway when opened.
 *
 * <p>Every read and every write goes through {@link #read} or {@link #write}, which hand the work a
 * {@link Repositories} bound to one connection. A write runs in one transaction and also advances the
 * configuration revision, the number gateways' snapshots are versioned by, so that any change made by any
 * control-plane replica is seen by whoever polls {@link #configRevision()}; what is not configuration (a
 * gateway's report of itself) is kept with {@link #record}, which leaves the revision alone. A write that breaks a constraint is
 * rolled back whole and surfaces as a {@link StoreConflictException}, named after the constraint the same way on
 * both databases.
 *
 * <p>Time is kept to the microsecond, as finely as both databases store it: the store's clock ticks in
 * microseconds, so what a repository returns on a write equals what it reads back later.
 */
public final class Store implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Clock clock;
    private final List<Runnable> commitListeners = new CopyOnWriteArrayList<>();

    private Store(HikariDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
        this.clock = Clock.tick(clock, Duration.of(1, ChronoUnit.MICROS));
    }

    /** Opens the pool and migrates the schema to the newest version. */
    public static Store open(StoreConfig config, Clock clock) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.username());
        pool.setPassword(config.password());
        pool.setMaximumPoolSize(config.maxPoolSize());
        pool.setPoolName("gatehouse-store");
        HikariDataSource dataSource = new HikariDataSource(pool);
        try {
            Flyway.configure().dataSource(dataSource).load().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Store(dataSource, clock);
    }

    /** Runs read-only work on one connection. */
    public <T> T read(Function<Repositories, T> work) {
        return translated(() -> jdbi.withHandle(handle -> work.apply(new Repositories(handle, clock))));
    }

    /** Runs work in one transaction that also advances the configuration revision; all or nothing. */
    public <T> T write(Function<Repositories, T> work) {
        T result = translated(() -> jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, handle -> {
            T done = work.apply(new Repositories(handle, clock));
            handle.createUpdate("UPDATE config_revision SET revision = revision + 1 WHERE id = 1").execute();
            return done;
        }));
        commitListeners.forEach(Runnable::run);
        return result;
    }

    /**
     * Runs work in one transaction that records operational facts rather than configuration: gateways' reports,
     * and the identity provider's runtime state (authorization codes, consents, refresh tokens). The configuration
     * revision stays where it is and no commit listener is told, so no gateway is sent a new snapshot for a login.
     */
    public <T> T record(Function<Repositories, T> work) {
        return translated(() -> jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED,
                handle -> work.apply(new Repositories(handle, clock))));
    }

    /**
     * Calls {@code listener} after each write this store commits, on the writing thread, so that what depends on
     * the configuration can catch up at once; writes by other processes sharing the database are seen only
     * through {@link #configRevision()}.
     */
    public void onCommit(Runnable listener) {
        commitListeners.add(listener);
    }

    /** The number of writes ever committed; it only grows. */
    public long configRevision() {
        return jdbi.withHandle(handle ->
                handle.createQuery("SELECT revision FROM config_revision WHERE id = 1").mapTo(Long.class).one());
    }

    /** The clock given to {@link #open}, ticking in microseconds. */
    public Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static <T> T translated(Supplier<T> work) {
        try {
            return work.get();
        } catch (JdbiException e) {
            throw Conflicts.translate(e);
        }
    }
}
