package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreConfigTest {

    @Test
    void urlOfAnotherDatabase_isRefusedNamingTheOption() {
        assertThatThrownBy(() -> new StoreConfig("jdbc:mysql://db/gatehouse", "u", "p", 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store.url must be a jdbc:h2: or jdbc:postgresql: URL, was 'jdbc:mysql://db/gatehouse'");
    }

    @Test
    void poolWithoutConnections_isRefusedNamingTheOption() {
        assertThatThrownBy(() -> new StoreConfig("jdbc:postgresql://db/gatehouse", "u", "p", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("store.maxPoolSize must be at least 1, was 0");
    }

    @Test
    void toString_leavesThePasswordOut() {
        StoreConfig config = new StoreConfig("jdbc:postgresql://db/gatehouse", "gatehouse", "s3cret", 5);

        assertThat(config.toString()).doesNotContain("s3cret").contains("gatehouse");
    }

    @Test
    void embedded_isAnH2FileInTheDataDirectorySpeakingPostgresql() {
        StoreConfig config = StoreConfig.embedded(Path.of("/var/lib/gatehouse"));

        assertThat(config.jdbcUrl())
                .startsWith("jdbc:h2:file:/var/lib/gatehouse/gatehouse;")
                .contains("MODE=PostgreSQL", "DATABASE_TO_LOWER=TRUE");
    }
}
