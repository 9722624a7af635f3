package dev.discoveryd.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.control.ControlClient;
import dev.discoveryd.agent.control.Wire;
import dev.discoveryd.agent.resource.ResourceKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "Show resources of the running agent, as talosctl get does: identities, affiliates, "
        + "members, discoveryconfig, kubespanconfig, kubespanidentities, kubespanpeerspecs, kubespanpeerstatuses, "
        + "kubespanendpoints, info (and their aliases).")
final class GetCommand implements Callable<Integer> {
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);

    @Mixin
    StateDirOption state;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "Resource type or alias.")
    String type;

    @Option(names = "--namespace", description = "Namespace (affiliates: cluster or cluster-raw).")
    String namespace;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, yaml or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Option(names = {"-w", "--watch"}, description = "Keep printing changes: + created, - destroyed.")
    boolean watch;

    @Option(names = "--sensitive", description = "Show secrets of sensitive resources (private key, cluster secret).")
    boolean sensitive;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("table", "yaml", "json").contains(output)) {
            err.println("error: -o must be table, yaml or json");
            return 2;
        }
        Optional<ResourceKind> kind = ResourceKind.resolve(type);
        if (kind.isEmpty()) {
            err.println("error: unknown resource type \"" + type + "\"");
            return 2;
        }
        ObjectNode request = Wire.JSON.createObjectNode();
        request.put("op", "get");
        request.put("type", type);
        request.put("namespace", namespace == null ? "" : namespace);
        request.put("watch", watch);
        request.put("sensitive", sensitive);
        try (ControlClient client = ControlClient.open(state.stateDir, request)) {
            JsonNode first = client.next(ANSWER_TIMEOUT).orElseThrow(() -> new IOException("kubespan-agent closed the connection"));
            Printer printer = new Printer(spec.commandLine().getOut(), output, kind.get(), first.path("node").asText(), watch);
            List<JsonNode> resources = new ArrayList<>();
            first.path("resources").forEach(resources::add);
            printer.printAll(resources);
            while (watch) {
                Optional<JsonNode> change = client.next(null);
                if (change.isEmpty()) {
                    err.println("error: kubespan-agent ended the watch");
                    return 1;
                }
                printer.print(change.get().get("resource"), change.get().get("event").asText());
            }
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }
}
