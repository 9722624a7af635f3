package dev.discoveryd.agent.daemon;

import dev.discoveryd.agent.config.AgentConfig;
import dev.discoveryd.agent.config.ConfigException;
import dev.discoveryd.agent.config.ConfigParser;
import dev.discoveryd.agent.control.ControlServer;
import dev.discoveryd.agent.core.NodeFacts;
import dev.discoveryd.agent.identity.IdentityException;
import dev.discoveryd.agent.identity.KubeSpanIdentity;
import dev.discoveryd.agent.identity.KubeSpanIdentityStore;
import dev.discoveryd.agent.identity.NodeIdentityStore;
import dev.discoveryd.agent.identity.SecureFiles;
import dev.discoveryd.agent.machine.MachineFacts;
import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneException;
import dev.discoveryd.agent.port.DataPlaneOptions;
import dev.discoveryd.agent.port.DataPlaneProvider;
import dev.discoveryd.agent.port.LinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Everything {@code run} does before the loop: config, identities, machine facts, data plane, socket. */
public final class AgentBoot {
    private static final Logger LOG = LoggerFactory.getLogger(AgentBoot.class);

    /** A start-up problem the operator must fix; one line, no stack trace. */
    public static final class BootException extends Exception {
        public BootException(String message) {
            super(message);
        }
    }

    /** The running agent and its socket; closing stops both (the affiliate is deleted first). */
    public static final class Running implements AutoCloseable {
        private final Agent agent;
        private final ControlServer control;
        private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

        Running(Agent agent, ControlServer control) {
            this.agent = agent;
            this.control = control;
        }

        public Agent agent() {
            return agent;
        }

        /** Idempotent: a signal and the shutdown hook may both ask. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                control.close();
                agent.close();
            }
        }
    }

    private AgentBoot() {
    }

    public static Running start(Path configFile, Path stateDir, String dataPlane) throws BootException, InterruptedException {
        AgentConfig config = load(configFile);
        try {
            SecureFiles.ensureDirectory(stateDir);
            String nodeId = NodeIdentityStore.loadOrCreate(stateDir);
            NodeFacts facts = MachineFacts.detect(config.node(), LinkConfig.DEFAULT_NAME);
            Optional<KubeSpanIdentity> identity = Optional.empty();
            if (config.kubespan().enabled()) {
                byte[] mac = MachineFacts.firstMac(config.node()).orElseThrow(() -> new BootException(
                        "no hardware address found for the KubeSpan address; set KubeSpanAgentConfig.mac"));
                identity = Optional.of(KubeSpanIdentityStore.loadOrCreate(stateDir, config.clusterId(), mac));
            }
            DataPlane plane = openPlane(dataPlane, stateDir, new DataPlaneOptions(config.kubespan().directNetworks(),
                    config.kubespan().wireGuard()));
            Agent agent = new Agent(config, nodeId, facts, identity, plane, stateDir, Clock.systemUTC());
            agent.start();
            ControlServer control;
            try {
                control = new ControlServer(stateDir, agent.resources(), agent.events(), agent.nodeAddress());
            } catch (IOException e) {
                agent.close();
                throw new BootException("control socket: " + e.getMessage());
            }
            LOG.info("kubespan-agent running: node ID {}, {} discovery service(s), KubeSpan {}, data plane {}, socket {}",
                    nodeId, config.services().size(), identity.map(i -> "address " + i.address()).orElse("off"),
                    plane.name(), control.path());
            return new Running(agent, control);
        } catch (IdentityException e) {
            throw new BootException(e.getMessage());
        } catch (IOException e) {
            throw new BootException("state directory " + stateDir + ": " + e.getMessage());
        }
    }

    static AgentConfig load(Path configFile) throws BootException {
        String text;
        try {
            text = Files.readString(configFile);
        } catch (IOException e) {
            throw new BootException("cannot read config " + configFile + ": " + e.getMessage());
        }
        try {
            ConfigParser.Parsed parsed = ConfigParser.parse(text);
            parsed.warnings().forEach(w -> LOG.warn("config {}: {}", configFile, w));
            return parsed.config();
        } catch (ConfigException e) {
            throw new BootException("config " + configFile + ": " + e.getMessage());
        }
    }

    private static DataPlane openPlane(String name, Path stateDir, DataPlaneOptions options) throws BootException {
        ServiceLoader<DataPlaneProvider> providers = ServiceLoader.load(DataPlaneProvider.class);
        for (DataPlaneProvider provider : providers) {
            if (provider.name().equals(name)) {
                try {
                    return provider.open(stateDir, options);
                } catch (DataPlaneException e) {
                    throw new BootException("data plane " + name + ": " + e.getMessage());
                }
            }
        }
        String known = providers.stream().map(p -> p.get().name()).collect(Collectors.joining(", "));
        throw new BootException("no data plane named \"" + name + "\" in this build (available: " + known + ")");
    }
}
