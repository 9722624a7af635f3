package dev.discoveryd.agent.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.discoveryd.agent.control.ControlClient;
import dev.discoveryd.agent.control.Wire;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "events", description = "Show the agent's events (peer up/down, endpoint changed, affiliate added/removed, "
        + "discovery connected/failed), then follow new ones.")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    StateDirOption state;

    @Spec
    CommandSpec spec;

    @Option(names = "--tail", defaultValue = "-1", description = "Show the last N events first (-1: all kept; default: ${DEFAULT-VALUE}).")
    int tail;

    @Option(names = "--no-follow", description = "Exit after the past events instead of following.")
    boolean noFollow;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String output;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ObjectNode request = Wire.JSON.createObjectNode();
        request.put("op", "events");
        request.put("tail", tail);
        request.put("follow", !noFollow);
        try (ControlClient client = ControlClient.open(state.stateDir, request)) {
            JsonNode first = client.next(GetCommand.ANSWER_TIMEOUT).orElseThrow(() -> new IOException("kubespan-agent closed the connection"));
            String node = first.path("node").asText();
            if (output.equals("table")) {
                out.println(String.format("%-16s %-21s %-20s %s", "NODE", "TIME", "TYPE", "MESSAGE"));
            }
            for (JsonNode e : first.path("events")) {
                print(out, node, e);
            }
            out.flush();
            while (!noFollow) {
                Optional<JsonNode> next = client.next(null);
                if (next.isEmpty()) {
                    return 0;
                }
                print(out, node, next.get().get("event"));
                out.flush();
            }
            return 0;
        } catch (IOException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private void print(PrintWriter out, String node, JsonNode e) {
        if (output.equals("json")) {
            out.println(e.toString());
        } else {
            String time = java.time.Instant.parse(e.path("time").asText()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            out.println(String.format("%-16s %-21s %-20s %s", node, time, e.path("type").asText(),
                    e.path("message").asText()));
        }
    }
}
