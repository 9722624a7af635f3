package dev.discoveryd.snapshots;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Loads RocksDB's JNI library from a per-user cache. RocksDB's own loader inflates the 17 MB library out of the jar
 * into a new temporary file at every start (about a second on a busy machine); this does it once per library build
 * (named by the jar entry's CRC) under {@code $XDG_CACHE_HOME/discoveryd} or {@code ~/.cache/discoveryd}. Anything
 * unusual (no jar entry, no writable cache, a load error) falls back to RocksDB's loader.
 */
final class RocksNative {
    private RocksNative() {
    }

    static void load() {
        try {
            Path dir = cached();
            if (dir != null) {
                RocksDB.loadLibrary(List.of(dir.toString()));
                return;
            }
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            // the cache is an optimisation only
        }
        RocksDB.loadLibrary();
    }

    /** The cache directory holding this jar's library, extracted if needed; null when there is nothing to cache. */
    private static Path cached() throws IOException {
        String entry = Environment.getJniLibraryFileName("rocksdb");
        // The file name RocksDB.loadLibrary(paths) looks for, computed the way it computes it.
        String name = Environment.getJniLibraryFileName("rocksdbjni");
        URL url = RocksDB.class.getClassLoader().getResource(entry);
        Path base = cacheBase();
        if (url == null || base == null) {
            return null;
        }
        URLConnection connection = url.openConnection();
        if (!(connection instanceof JarURLConnection jar) || jar.getJarEntry() == null || jar.getJarEntry().getCrc() < 0) {
            return null;
        }
        connection.setUseCaches(false);
        Path dir = base.resolve("rocksdbjni-" + Long.toHexString(jar.getJarEntry().getCrc()) + "-" + jar.getJarEntry().getSize());
        Path lib = dir.resolve(name);
        if (Files.isRegularFile(lib) && Files.size(lib) == jar.getJarEntry().getSize()) {
            return dir;
        }
        Files.createDirectories(dir);
        // Written aside and renamed: a concurrent start never loads a half-written library.
        Path part = Files.createTempFile(dir, name, ".part");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        return dir;
    }

    private static Path cacheBase() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        String home = System.getProperty("user.home");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg)
                : home != null && !home.isEmpty() && !"?".equals(home) ? Path.of(home, ".cache") : null;
        return base == null ? null : base.resolve("discoveryd");
    }
}
