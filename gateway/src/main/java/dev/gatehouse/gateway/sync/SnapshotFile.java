package dev.gatehouse.gateway.sync;

import dev.gatehouse.model.snapshot.GatewaySnapshot;
import dev.gatehouse.model.snapshot.SnapshotCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last snapshot a gateway was given, kept on its disk so that it can start and serve while the control plane
 * is away. A save writes a new file beside the old one and moves it into place, so a crash mid-write leaves the
 * previous snapshot whole; a file that cannot be read is reported and ignored rather than served.
 */
public final class SnapshotFile {

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFile.class);

    private final Path path;

    public SnapshotFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
    }

    public Path path() {
        return path;
    }

    /** The saved snapshot, or empty when there is none or it cannot be read. */
    public Optional<GatewaySnapshot> load() {
        try {
            return Optional.of(SnapshotCodec.decode(Files.readAllBytes(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("ignoring the saved snapshot {}: {}", path, e.getMessage());
            return Optional.empty();
        }
    }

    /** Replaces the saved snapshot; blocking file I/O, so never on an event loop. */
    public void save(GatewaySnapshot snapshot) {
        try {
            AtomicFiles.replace(path, SnapshotCodec.encode(snapshot));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the snapshot to " + path, e);
        }
    }
}
