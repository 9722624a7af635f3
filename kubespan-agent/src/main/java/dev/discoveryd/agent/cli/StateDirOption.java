package dev.discoveryd.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir}, shared by every command (the CLI finds the daemon's socket there). */
final class StateDirOption {
    static final String DEFAULT = "/var/lib/kubespan-agent";

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = DEFAULT,
            description = "State directory: identities, peer cache, control socket (default: ${DEFAULT-VALUE}).")
    Path stateDir;
}
