package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Organization;
import dev.gatehouse.model.testing.TestClock;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The zero-set-up default: an H2 file database in the data directory. */
class EmbeddedStoreTest {

    private final TestClock clock = new TestClock(TestClock.START);

    @Test
    void fileDatabase_isMigratedOnFirstOpenAndKeepsItsDataWhenReopened(@TempDir Path dataDir) {
        StoreConfig config = StoreConfig.embedded(dataDir);
        Organization acme;
        long revision;
        try (Store store = Store.open(config, clock)) {
            boolean empty = store.read(r -> r.organizations().isEmpty());
            assertThat(empty).isTrue();
            acme = store.write(r -> r.organizations().create("acme", "Acme"));
            revision = store.configRevision();
        }
        assertThat(dataDir.resolve("gatehouse.mv.db")).isRegularFile();

        try (Store reopened = Store.open(config, clock)) {
            Optional<Organization> found = reopened.read(r -> r.organizations().findByHandle("acme"));
            assertThat(found).contains(acme);
            assertThat(reopened.configRevision()).isEqualTo(revision);
        }
    }
}
