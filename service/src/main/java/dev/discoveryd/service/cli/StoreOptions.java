package dev.discoveryd.service.cli;

import dev.discoveryd.crypto.KeyRing;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where the tools find the data: the data directory and its at-rest keys. Tools never create a key. */
public final class StoreOptions {
    @Option(names = {"--data-dir", "-data-dir"}, defaultValue = "./data", paramLabel = "DIR",
            description = "the service's data directory (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = {"--at-rest-key-file", "-at-rest-key-file"}, paramLabel = "FILE",
            description = "at-rest key file(s), as given to the service; default <data-dir>/at-rest.key")
    List<Path> keyFiles = new ArrayList<>();

    Path dataDir() {
        return dataDir;
    }

    KeyRing keys() {
        if (!Files.isDirectory(dataDir) && keyFiles.isEmpty()) {
            throw new IllegalArgumentException("no data directory at " + dataDir.toAbsolutePath());
        }
        if (keyFiles.isEmpty() && !Files.exists(dataDir.resolve(KeyRing.GENERATED_KEY_FILE))) {
            throw new IllegalArgumentException("no at-rest key: " + dataDir.resolve(KeyRing.GENERATED_KEY_FILE)
                    + " does not exist; pass --at-rest-key-file");
        }
        return KeyRing.loadOrCreate(dataDir, keyFiles);
    }
}
