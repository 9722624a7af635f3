package dev.discoveryd.ops.deploy;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real tools the deployment tests run (promtool, systemd-analyze, buildah, ...), skipped when absent. */
final class Tools {
    private Tools() {
    }

    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** The ops/ directory of the source tree (set by the build; the working directory otherwise). */
    static Path opsDir() {
        return Path.of(System.getProperty("ops.dir", ".")).toAbsolutePath().normalize();
    }

    static boolean has(String command) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)))
                || Files.isExecutable(Path.of("/usr/sbin", command));
    }

    /** Skips the test, saying what to install, when {@code command} is not on the PATH. */
    static void require(String command, String debianPackage) {
        Assumptions.assumeTrue(has(command), command + " is not installed (Debian package " + debianPackage
                + "; ./test.sh installs it when run as root): skipping");
    }

    static void requireRoot(String why) {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (" + why + "): skipping");
    }

    /** A built artefact named by a system property (the build sets it), or a skip when it is missing. */
    static Path artefact(String property) {
        String p = System.getProperty(property);
        Assumptions.assumeTrue(p != null && Files.isRegularFile(Path.of(p)),
                property + " (" + p + ") is not built; run through mvn verify: skipping");
        return Path.of(p);
    }

    static Result run(Duration timeout, Path dir, String... command) throws IOException, InterruptedException {
        return run(timeout, dir, List.of(command));
    }

    /** Runs to completion (stdout and stderr merged); a command that outlives {@code timeout} is killed and fails. */
    static Result run(Duration timeout, Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("ops-tool", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                return new Result(-1, Files.readString(out, StandardCharsets.UTF_8) + "\n[killed after " + timeout + "]");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
