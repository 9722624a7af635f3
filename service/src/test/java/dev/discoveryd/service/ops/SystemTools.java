package dev.discoveryd.service.ops;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the system programs the browser and Prometheus tests drive; a missing one fails the test saying how to get it. */
final class SystemTools {
    private SystemTools() {
    }

    static Path require(String what, String debianPackage, List<String> candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (p.isAbsolute() && Files.isExecutable(p)) {
                return p;
            }
            String path = System.getenv("PATH");
            for (String dir : path == null ? new String[0] : path.split(":")) {
                Path inPath = Path.of(dir, c);
                if (Files.isExecutable(inPath)) {
                    return inPath;
                }
            }
        }
        throw new AssertionError(what + " not found (looked for " + candidates + "). Install it with "
                + "`apt-get install " + debianPackage + "`, or run ./test.sh as root, which installs it.");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void stop(Process process) throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
