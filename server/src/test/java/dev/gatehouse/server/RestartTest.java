package dev.gatehouse.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.MasterKey;
import dev.gatehouse.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default: a file database that outlives the process, a first admin made only once, and signing keys
 * sealed under the master key in the data directory, which nothing else opens.
 */
class RestartTest {

    @Test
    void firstStart_generatesTheAdminPasswordOnce_andDataSurvivesARestart(@TempDir Path dataDir) {
        GatehouseConfig config = new GatehouseConfig("127.0.0.1", 0, 0, 0, null, null, null,
                StoreConfig.embedded(dataDir), null, true, Duration.ofMillis(100), Duration.ofMillis(100), true, null,
                AnalyticsOptions.DEFAULT, MasterKey.inFile(dataDir.resolve("master.key")));
        String password;
        try (TestGatehouse gh = new TestGatehouse(Gatehouse.start(config, Clock.systemUTC()))) {
            password = gh.gatehouse.bootstrap().generatedPassword();
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
        }
        try (TestGatehouse gh = new TestGatehouse(Gatehouse.start(config, Clock.systemUTC()))) {
            assertThat(gh.gatehouse.bootstrap().created()).isFalse();
            assertThat(gh.gatehouse.bootstrap().generatedPassword()).isNull();
            String admin = gh.login("gatehouse", Bootstrap.ADMIN_USERNAME, password);
            assertThat(gh.http.get(gh.api("/orgs"), admin).array()).hasSize(3);
            assertThat(gh.http.get(gh.api("/orgs/acme/apis"), admin).array().getJsonObject(0).getString("name"))
                    .isEqualTo("Orders");
        }
        GatehouseConfig anotherKey = new GatehouseConfig(config.bindHost(), 0, 0, 0, null, null, null, config.store(),
                null, false, config.snapshotInterval(), config.jwksRefreshInterval(), true, null, config.analytics(),
                MasterKey.ephemeral());
        assertThatThrownBy(() -> Gatehouse.start(anotherKey, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start with the master key it was sealed with");
    }
}
