package dev.discoveryd.agent.e2e;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real discoveryd jar, in memory, on an ephemeral port. */
final class ServiceProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving gRPC on 127\\.0\\.0\\.1:(\\d+)");

    final Processes.Running running;
    final int port;

    private ServiceProcess(Processes.Running running, int port) {
        this.running = running;
        this.port = port;
    }

    static ServiceProcess start() throws Exception {
        List<String> cmd = Processes.command(Processes.java(), "-Xmx256m", "-jar", Processes.jar("service.jar").toString(),
                "--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--ip-rate-limit=0", "--in-memory");
        CompletableFuture<String> port = new CompletableFuture<>();
        Processes.Running running = new Processes.Running(cmd, line -> {
            Matcher m = SERVING.matcher(line);
            return m.find() ? m.group(1) : null;
        }, port);
        return new ServiceProcess(running, Integer.parseInt(port.get(60, TimeUnit.SECONDS)));
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        running.close();
    }
}
