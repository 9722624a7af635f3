package dev.discoveryd.agent.cli;

import dev.discoveryd.agent.control.Wire;
import dev.discoveryd.agent.port.DataPlane;
import dev.discoveryd.agent.port.DataPlaneException;
import dev.discoveryd.agent.port.DataPlaneProvider;
import dev.discoveryd.agent.port.FirewallState;
import dev.discoveryd.agent.port.LinkConfig;
import dev.discoveryd.agent.port.RoutingState;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "down", description = "Remove what KubeSpan put on this host: the kubespan link (wireguard-go exits "
        + "with it), routing table 180 and its rules, the nftables chains. Identity files stay, so the node comes back "
        + "with the same keys. Refused while an agent runs on this state directory (it would put them back).")
final class DownCommand implements Callable<Integer> {
    @Mixin
    StateDirOption state;

    @Spec
    CommandSpec spec;

    @Option(names = "--data-plane", paramLabel = "NAME", defaultValue = "linux",
            description = "The data plane to clean up (default: ${DEFAULT-VALUE}).")
    String dataPlane;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (agentRunning(Wire.socket(state.stateDir))) {
            err.println("error: an agent is running on " + state.stateDir + "; stop it first (systemctl stop kubespan-agent)");
            return 2;
        }
        for (ServiceLoader.Provider<DataPlaneProvider> p : ServiceLoader.load(DataPlaneProvider.class).stream().toList()) {
            if (!p.get().name().equals(dataPlane)) {
                continue;
            }
            try {
                DataPlane plane = p.get().open(state.stateDir);
                plane.tearDown(LinkConfig.DEFAULT_NAME, RoutingState.KUBESPAN_TABLE, FirewallState.TALOS_TABLE);
                spec.commandLine().getOut().println("KubeSpan removed: link " + LinkConfig.DEFAULT_NAME + ", table "
                        + RoutingState.KUBESPAN_TABLE + " and its rules, nftables chains in inet " + FirewallState.TALOS_TABLE);
                return 0;
            } catch (DataPlaneException e) {
                err.println("error: " + e.getMessage());
                return 1;
            }
        }
        err.println("error: no data plane named \"" + dataPlane + "\" in this build");
        return 2;
    }

    private static boolean agentRunning(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return true;
        } catch (IOException e) {
            return false; // a socket file left by a crashed agent
        }
    }
}
