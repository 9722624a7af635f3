package dev.discoveryd.snapshots;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** File-system steps for snapshot directories: set aside, copy, delete. */
final class Directories {
    private Directories() {
    }

    /** Moves {@code dir} to {@code <dir>.unreadable}, replacing an earlier one, so it can be examined later. */
    static void moveAside(Path dir) throws IOException {
        if (Files.exists(dir)) {
            Path aside = sibling(dir, ".unreadable");
            deleteRecursively(aside);
            Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Whether {@code dir} is a directory with some entries but without {@code name}. */
    static boolean hasFilesButNo(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir) || Files.exists(dir.resolve(name))) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }

    static Path sibling(Path dir, String suffix) {
        Path absolute = dir.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + suffix);
    }

    static void copyRecursively(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(d).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
