package dev.discoveryd.scaleout;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A KRaft cluster of real processes (so that one broker can be SIGKILLed): one controller and {@code brokers} brokers,
 * each {@code kafka.Kafka} in a JVM of its own on loopback ports, data and output under {@code dir}. Kafka 4.3.1 from
 * this module's test class path; group and transaction settings as the in-process kit has them.
 */
final class KafkaProcesses implements AutoCloseable {
    private static final int CONTROLLER_ID = 1;

    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int controllerPort;
    private final Map<Integer, Integer> brokerPorts = new LinkedHashMap<>();
    private final Map<Integer, Process> processes = new LinkedHashMap<>();

    private KafkaProcesses(Path dir, int brokers) throws IOException {
        this.dir = dir;
        this.controllerPort = freePort();
        for (int i = 0; i < brokers; i++) {
            brokerPorts.put(CONTROLLER_ID + 1 + i, freePort());
        }
    }

    /** Formats and starts every node; returns once all brokers are registered with the controller. */
    static KafkaProcesses start(Path dir, int brokers) throws Exception {
        KafkaProcesses cluster = new KafkaProcesses(dir, brokers);
        try {
            cluster.startAll();
            return cluster;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        Map<Integer, Path> configs = new LinkedHashMap<>();
        configs.put(CONTROLLER_ID, write(CONTROLLER_ID, controller()));
        for (int id : brokerPorts.keySet()) {
            configs.put(id, write(id, broker(id)));
        }
        List<Process> formats = new ArrayList<>();
        for (Map.Entry<Integer, Path> c : configs.entrySet()) {
            formats.add(java("kafka.tools.StorageTool", dir.resolve("format-" + c.getKey() + ".log"),
                    "format", "-t", clusterId, "-c", c.getValue().toString()));
        }
        for (Process f : formats) {
            if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
                throw new IllegalStateException("formatting a Kafka node failed; see " + dir + "/format-*.log");
            }
        }
        for (Map.Entry<Integer, Path> c : configs.entrySet()) {
            processes.put(c.getKey(), java("kafka.Kafka", dir.resolve("node-" + c.getKey() + ".log"),
                    c.getValue().toString()));
        }
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() == brokerPorts.size()) {
                        return;
                    }
                } catch (Exception e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline || processes.values().stream().anyMatch(p -> !p.isAlive())) {
                    throw new IllegalStateException("the Kafka processes did not come up; see " + dir + "/node-*.log");
                }
                Thread.sleep(200);
            }
        }
    }

    String bootstrap() {
        return brokerPorts.values().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(p);
    }

    /** SIGKILL of one broker: no controlled shutdown, its leaderships move only once the controller fences it. */
    void kill(int brokerId) throws InterruptedException {
        Process p = processes.get(brokerId);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    private Map<String, String> common(int id) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("node.id", Integer.toString(id));
        c.put("controller.quorum.voters", CONTROLLER_ID + "@127.0.0.1:" + controllerPort);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        c.put("log.dirs", dir.resolve("data-" + id).toString());
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "2");
        return c;
    }

    private Map<String, String> controller() {
        Map<String, String> c = common(CONTROLLER_ID);
        c.put("process.roles", "controller");
        c.put("listeners", "CONTROLLER://127.0.0.1:" + controllerPort);
        return c;
    }

    private Map<String, String> broker(int id) {
        Map<String, String> c = common(id);
        int port = brokerPorts.get(id);
        c.put("process.roles", "broker");
        c.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
        c.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("offsets.topic.replication.factor", "3");
        c.put("offsets.topic.num.partitions", "4");
        c.put("transaction.state.log.replication.factor", "3");
        c.put("transaction.state.log.min.isr", "2");
        c.put("transaction.state.log.num.partitions", "4");
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("group.consumer.heartbeat.interval.ms", "500");
        c.put("group.consumer.min.heartbeat.interval.ms", "500");
        c.put("group.consumer.session.timeout.ms", "6000");
        c.put("group.consumer.min.session.timeout.ms", "6000");
        return c;
    }

    private Path write(int id, Map<String, String> config) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("node-" + id + ".properties");
        Files.writeString(file, config.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
        return file;
    }

    private static Process java(String main, Path output, String... args) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", classPath, main));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(processes.values());
        java.util.Collections.reverse(all); // brokers before the controller, so that they can shut down cleanly
        for (Process p : all) {
            p.destroy();
        }
        for (Process p : all) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
