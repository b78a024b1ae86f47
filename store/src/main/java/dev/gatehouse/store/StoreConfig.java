package dev.gatehouse.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the store lives.
 *
 * @param jdbcUrl      a {@code jdbc:h2:} or {@code jdbc:postgresql:} URL
 * @param username     the database user (may be empty for H2)
 * @param password     the database password (may be empty for H2); never logged
 * @param maxPoolSize  the most connections the pool opens, at least 1
 */
public record StoreConfig(String jdbcUrl, String username, String password, int maxPoolSize) {

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:h2:") && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(
                    "store.url must be a jdbc:h2: or jdbc:postgresql: URL, was '" + jdbcUrl + "'");
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("store.maxPoolSize must be at least 1, was " + maxPoolSize);
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
    }

    /** The embedded default: an H2 file database in {@code dataDir}, speaking PostgreSQL's dialect. */
    public static StoreConfig embedded(Path dataDir) {
        return new StoreConfig(h2Url("file:" + dataDir.toAbsolutePath().resolve("gatehouse")), "sa", "", 10);
    }

    /** An H2 database in memory, for tests; {@code name} keeps tests apart. */
    public static StoreConfig inMemory(String name) {
        return new StoreConfig(h2Url("mem:" + name) + ";DB_CLOSE_DELAY=-1", "sa", "", 5);
    }

    private static String h2Url(String location) {
        return "jdbc:h2:" + location + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
    }

    @Override
    public String toString() {
        return "StoreConfig[jdbcUrl=" + jdbcUrl + ", username=" + username + ", maxPoolSize=" + maxPoolSize + "]";
    }
}
