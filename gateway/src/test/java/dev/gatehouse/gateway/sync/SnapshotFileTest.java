package dev.gatehouse.gateway.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Environment;
import dev.gatehouse.model.snapshot.GatewaySnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    @TempDir
    Path dir;

    private static GatewaySnapshot snapshot(long version) {
        return new GatewaySnapshot(version, Environment.PRODUCTION, List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void noFile_isNoSnapshot() {
        assertThat(new SnapshotFile(dir.resolve("snapshot.json")).load()).isEmpty();
    }

    @Test
    void savedSnapshots_replaceEachOther_readableByTheirOwnerOnly_andLeaveNoTemporaryFile() throws IOException {
        SnapshotFile file = new SnapshotFile(dir.resolve("state/snapshot.json"));

        file.save(snapshot(3));
        file.save(snapshot(4));

        assertThat(new SnapshotFile(file.path()).load()).contains(snapshot(4));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(file.path().getParent()).isDirectoryContaining(path -> path.equals(file.path()))
                .isDirectoryNotContaining("glob:**.new");
    }

    @Test
    void aFileThatIsNotASnapshot_isIgnored() throws IOException {
        Path path = dir.resolve("snapshot.json");
        Files.writeString(path, "{\"version\": 9, \"truncated");

        assertThat(new SnapshotFile(path).load()).isEmpty();
    }
}
