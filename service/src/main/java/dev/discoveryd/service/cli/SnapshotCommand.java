package dev.discoveryd.service.cli;

import dev.discoveryd.core.port.LoadResult;
import dev.discoveryd.core.port.SaveResult;
import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.LogOptions;
import dev.discoveryd.eventlog.tools.ViewJson;
import dev.discoveryd.service.persistence.KeyRingCipher;
import dev.discoveryd.service.persistence.StateStore;
import dev.discoveryd.snapshots.SnapshotBackup;
import dev.discoveryd.snapshots.SnapshotCipher;
import dev.discoveryd.snapshots.SnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code discoveryd snapshot inspect|backup|restore}: look at, back up and restore the state of a data directory. */
@Command(name = "snapshot", description = "Inspect, back up and restore the snapshot and event log.",
        mixinStandardHelpOptions = true,
        subcommands = {SnapshotCommand.Inspect.class, SnapshotCommand.Backup.class, SnapshotCommand.Restore.class})
public final class SnapshotCommand {
    private static final int READ_ATTEMPTS = 3;

    /** Runs {@code body}; an expected failure becomes one line on stderr and exit code 1. */
    private static int guarded(String name, Callable<Integer> body) throws Exception {
        try {
            return body.call();
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            System.err.println("snapshot " + name + ": " + e.getMessage());
            return 1;
        }
    }

    /** The snapshot in {@code dir}; retries a few times, since a running service may swap table files under us. */
    private static LoadResult read(Path dir, SnapshotCipher cipher) {
        LoadResult result = SnapshotBackup.read(dir, cipher);
        for (int i = 1; i < READ_ATTEMPTS && result instanceof LoadResult.Failed; i++) {
            result = SnapshotBackup.read(dir, cipher);
        }
        return result;
    }

    private static String describe(LoadResult result, Path dir) {
        if (result instanceof LoadResult.Failed failed) {
            return "snapshot in " + dir + " is unreadable: " + failed.reason();
        }
        return "no snapshot in " + dir;
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print the snapshot's view as JSON (the same shape as `replay`); exit 1 when there is none.")
    static final class Inspect implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();

        @Override
        public Integer call() throws Exception {
            return guarded("inspect", () -> {
                Path dir = store.dataDir().resolve(StateStore.SNAPSHOT_DIR);
                if (!Files.isDirectory(dir)) {
                    System.err.println("snapshot inspect: no snapshot in " + dir);
                    return 1;
                }
                LoadResult result = read(dir, new KeyRingCipher(store.keys()));
                if (!(result instanceof LoadResult.Loaded loaded)) {
                    System.err.println("snapshot inspect: " + describe(result, dir));
                    return 1;
                }
                Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
                // The Chronicle log has one partition: the position's only offset is its index.
                ViewJson.write(loaded.view(), null, loaded.covered().offset(0), out);
                out.write(System.lineSeparator());
                out.flush();
                return 0;
            });
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = {"Copy the snapshot and the event log to a new directory; the service may be running.",
                    "The at-rest key is NOT copied unless --include-key is given: without the key the backup cannot be"
                            + " read, so keep it somewhere safe (and separate, if the backup leaves the machine)."})
    static final class Backup implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--to", required = true, paramLabel = "DIR", description = "the backup directory (new or empty)")
        Path to;

        @Option(names = "--include-key",
                description = "also copy <data-dir>/" + KeyRing.GENERATED_KEY_FILE + " into the backup")
        boolean includeKey;

        @Override
        public Integer call() throws Exception {
            return guarded("backup", this::backup);
        }

        private int backup() throws IOException {
            if (Files.exists(to) && (!Files.isDirectory(to) || !isEmpty(to))) {
                throw new IllegalArgumentException("target " + to + " exists and is not an empty directory");
            }
            Path dataDir = store.dataDir();
            Path keyFile = dataDir.resolve(KeyRing.GENERATED_KEY_FILE);
            if (includeKey && !Files.isRegularFile(keyFile)) {
                throw new IllegalArgumentException("--include-key: there is no " + keyFile + " to copy");
            }
            KeyRingCipher cipher = new KeyRingCipher(store.keys());
            Path source = dataDir.resolve(StateStore.SNAPSHOT_DIR);
            LoadResult result = read(source, cipher);
            if (result instanceof LoadResult.Failed) {
                throw new IOException(describe(result, source));
            }
            Files.createDirectories(to);
            long clusters = 0;
            long affiliates = 0;
            String covered = "none";
            long bytes = 0;
            if (result instanceof LoadResult.Loaded loaded) {
                try (SnapshotStore copy = SnapshotStore.open(to.resolve(StateStore.SNAPSHOT_DIR), cipher)) {
                    SaveResult saved = copy.replace(loaded.covered(), loaded.view().clusters());
                    clusters = saved.stats().clusters();
                    affiliates = saved.stats().affiliates();
                    bytes += saved.stats().sizeBytes();
                }
                covered = loaded.covered().isStart() ? "none" : loaded.covered().toString();
            }
            Path log = LogOptions.logDir(dataDir);
            if (Files.isDirectory(log)) {
                // A record being appended during the copy ends up as a torn tail, which the log drops on open.
                bytes += copyTree(log, LogOptions.logDir(to));
            }
            if (includeKey) {
                Files.copy(keyFile, to.resolve(KeyRing.GENERATED_KEY_FILE));
            }
            System.out.println("backup written to " + to + ": " + clusters + " clusters, " + affiliates
                    + " affiliates, covered index " + covered + ", " + bytes
                    + " bytes" + (includeKey ? ", at-rest key included" : ", at-rest key NOT included"));
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Replace the snapshot and event log of the data directory with a backup's. Stop the service"
                    + " first. The replaced ones are kept as snapshots.previous and eventlog.previous.",
                    "If the backup holds the at-rest key and the data directory has none, the key is installed too."})
    static final class Restore implements Callable<Integer> {
        @Mixin
        StoreOptions store = new StoreOptions();

        @Option(names = "--from", required = true, paramLabel = "DIR", description = "the backup directory")
        Path from;

        @Override
        public Integer call() throws Exception {
            return guarded("restore", this::restore);
        }

        private int restore() throws IOException {
            Path backupSnapshot = from.resolve(StateStore.SNAPSHOT_DIR);
            Path backupLog = LogOptions.logDir(from);
            boolean hasSnapshot = Files.isDirectory(backupSnapshot);
            boolean hasLog = Files.isDirectory(backupLog);
            if (!hasSnapshot && !hasLog) {
                throw new IllegalArgumentException("no backup in " + from + ": it has neither "
                        + StateStore.SNAPSHOT_DIR + "/ nor " + backupLog.getFileName() + "/");
            }
            Path dataDir = store.dataDir();
            Files.createDirectories(dataDir);
            Path backupKey = from.resolve(KeyRing.GENERATED_KEY_FILE);
            Path key = dataDir.resolve(KeyRing.GENERATED_KEY_FILE);
            if (Files.isRegularFile(backupKey) && !Files.exists(key)) {
                Files.copy(backupKey, key, StandardCopyOption.COPY_ATTRIBUTES);
            }
            KeyRingCipher cipher = new KeyRingCipher(store.keys());
            Path snapshotDir = dataDir.resolve(StateStore.SNAPSHOT_DIR);
            String summary;
            if (hasSnapshot) {
                // Checks that the backup loads before touching anything; keeps the old one as snapshots.previous.
                LoadResult.Loaded loaded = SnapshotBackup.restore(backupSnapshot, snapshotDir, cipher);
                summary = loaded.stats().clusters() + " clusters, " + loaded.stats().affiliates()
                        + " affiliates, covered index " + loaded.covered();
            } else {
                moveToPrevious(snapshotDir);
                summary = "no snapshot (the log will be replayed)";
            }
            Path logDir = LogOptions.logDir(dataDir);
            if (hasLog) {
                Path staging = logDir.resolveSibling(logDir.getFileName() + ".restoring");
                deleteTree(staging);
                long bytes = copyTree(backupLog, staging);
                moveToPrevious(logDir);
                Files.move(staging, logDir, StandardCopyOption.ATOMIC_MOVE);
                summary += ", event log " + bytes + " bytes";
            } else {
                moveToPrevious(logDir);
                summary += ", no event log";
            }
            System.out.println("restored " + from + " into " + dataDir + ": " + summary);
            return 0;
        }

        private static void moveToPrevious(Path dir) throws IOException {
            if (Files.exists(dir)) {
                Path previous = dir.resolveSibling(dir.getFileName() + ".previous");
                deleteTree(previous);
                Files.move(dir, previous, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Copies every file under {@code from} to {@code to}; returns the bytes copied. Files deleted meanwhile are skipped. */
    private static long copyTree(Path from, Path to) throws IOException {
        long bytes = 0;
        Files.createDirectories(to);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                try {
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                        bytes += Files.size(target);
                    }
                } catch (NoSuchFileException e) {
                    // removed by the running service (a compacted cycle) while we walked
                }
            }
        }
        return bytes;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
