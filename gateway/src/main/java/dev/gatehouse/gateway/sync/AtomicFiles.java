package dev.gatehouse.gateway.sync;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Replacing a file whole: a crash mid-write leaves the previous content in place, never half of the new. Files are
 * readable by their owner only, where the file system has POSIX permissions: a gateway's saved state includes
 * credentials' digests and may include its backend signing key.
 */
final class AtomicFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private AtomicFiles() {
    }

    /** Writes {@code content} beside {@code path} and moves it into place; blocking file I/O. */
    static void replace(Path path, byte[] content) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Path fresh = path.resolveSibling(path.getFileName() + ".new");
        Files.deleteIfExists(fresh);
        if (fresh.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(fresh, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        Files.write(fresh, content);
        try {
            Files.move(fresh, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(fresh, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
