package dev.discoveryd.agent.cli;

import dev.discoveryd.agent.daemon.AgentBoot;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "run", description = "Run the agent until SIGTERM/SIGINT; on a graceful stop its affiliate is deleted from every discovery service.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    StateDirOption state;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "/etc/kubespan-agent/config.yaml",
            description = "Talos machine config (legacy v1alpha1 and/or multi-document; default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--data-plane", paramLabel = "NAME", defaultValue = "linux",
            description = "linux (WireGuard, routes, nftables) or fake (in memory: tests and dry runs; default: ${DEFAULT-VALUE}).")
    String dataPlane;

    @Override
    public Integer call() throws Exception {
        AgentBoot.Running running;
        try {
            running = AgentBoot.start(config, state.stateDir, dataPlane);
        } catch (AgentBoot.BootException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        // SIGTERM/SIGINT: a graceful stop (affiliate deleted everywhere) and exit code 0. Other exits: the hook.
        CountDownLatch stop = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.countDown());
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
        stop.await();
        running.close();
        return 0;
    }
}
