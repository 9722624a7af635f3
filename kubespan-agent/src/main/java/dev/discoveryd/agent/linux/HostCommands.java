package dev.discoveryd.agent.linux;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's network tools ({@code ip}, {@code nft}, {@code sysctl}) with a bounded time and output. A prefix
 * (empty on a real host; {@code nsenter --net=... --mount=...} in tests) places every command in the right
 * namespaces, so the same adapters drive the host or a test namespace.
 */
public final class HostCommands {
    /** Output kept per stream; `nft -j list` of a large ruleset stays well below this. */
    static final int MAX_OUTPUT_BYTES = 8 << 20;

    private final List<String> prefix;
    private final Duration timeout;

    public HostCommands(List<String> prefix, Duration timeout) {
        this.prefix = List.copyOf(prefix);
        this.timeout = timeout;
    }

    public static HostCommands local() {
        return new HostCommands(List.of(), Duration.ofSeconds(10));
    }

    public List<String> prefix() {
        return prefix;
    }

    public record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs the command; a non-zero exit is returned, not thrown. */
    public Result run(String stdin, String... command) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).start();
        try {
            Drain err = new Drain(p.getErrorStream());
            err.setDaemon(true);
            err.start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = readBounded(p.getInputStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("'" + String.join(" ", command) + "' did not finish within " + timeout);
            }
            err.join(timeout.toMillis());
            return new Result(p.exitValue(), out, err.text());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command[0], e);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Runs the command and fails with its stderr when it exits non-zero. */
    public String check(String stdin, String... command) throws IOException {
        Result r = run(stdin, command);
        if (!r.ok()) {
            throw new IOException("'" + String.join(" ", command) + "' failed (exit " + r.exitCode() + "): " + r.stderr());
        }
        return r.stdout();
    }

    /**
     * Starts a program that daemonizes itself (wireguard-go without WG_PROCESS_FOREGROUND), with its output appended to
     * a log file so that no pipe keeps us waiting on its background child, and waits for the launcher to exit.
     */
    public void launchDaemon(Path log, Map<String, String> env, String... command) throws IOException {
        List<String> argv = new ArrayList<>(prefix);
        argv.add("env");
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.addAll(List.of(command));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not return within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + command[0], e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' failed (exit " + p.exitValue() + "), see " + log);
        }
    }

    private static String readBounded(InputStream s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = s.read(buf)) >= 0) {
            if (out.size() + n > MAX_OUTPUT_BYTES) {
                throw new IOException("command output over " + MAX_OUTPUT_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Collects stderr so a chatty command never blocks on a full pipe. */
    private static final class Drain extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Drain(InputStream in) {
            super("host-command-stderr");
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (out.size() < 64 * 1024) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException ignored) {
                // the process ended; what was read is kept
            }
        }

        String text() {
            return out.toString(StandardCharsets.UTF_8).strip();
        }
    }
}
