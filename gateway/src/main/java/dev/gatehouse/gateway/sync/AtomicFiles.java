package dev.gatehouse.gateway.sync;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Replacing a file whole: a crash mid-write leaves the previous content in place, never half of the new. */
final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Writes {@code content} beside {@code path} and moves it into place; blocking file I/O. */
    static void replace(Path path, byte[] content) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path fresh = path.resolveSibling(path.getFileName() + ".new");
        Files.write(fresh, content);
        try {
            Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(fresh, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
