package dev.discoveryd.agent.identity;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only the agent's user may read: created 0600 (directories 0700), written whole or not at all. */
public final class SecureFiles {
    private SecureFiles() {
    }

    public static void ensureDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** Creates {@code file} with {@code content}; fails if it exists (O_EXCL), so nothing is ever overwritten. */
    public static void createNew(Path file, byte[] content) throws IOException {
        Path tmp = temp(file, content);
        try {
            // A hard link fails if the target exists: O_EXCL semantics without a half-written file.
            Files.createLink(file, tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code file} atomically (write a temporary file, then rename over). */
    public static void replace(Path file, byte[] content) throws IOException {
        Path tmp = temp(file, content);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path temp(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(tmp, content, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        return tmp;
    }
}
