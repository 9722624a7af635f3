package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.api.server.Affiliate;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.nodeclient.client.DiscoveryClientOptions;
import dev.discoveryd.nodeclient.format.ClusterSealer;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code list}: one Hello and one List, the affiliates decrypted and printed. */
final class ListCommand {
    static final CliCommand COMMAND = new CliCommand("list", "Decrypt and print the cluster's affiliates.", false,
            ConnectionOptions.OPTIONS, ListCommand::run);

    private ListCommand() {
    }

    static int run(CliArgs args, PrintWriter out) throws Exception {
        ConnectionOptions connection = new ConnectionOptions(args);
        DiscoveryClientOptions options = connection.clientOptions(null);
        ClusterSealer codec = new ClusterSealer(options.clusterSecret());
        ListResponse response;
        try (OneShot server = OneShot.connect(connection.server(), options)) {
            response = server.call(OneShot.LIST, ListRequest.newBuilder().setClusterId(options.clusterId()).build(),
                    ListResponse.parser(), options.updateTimeout());
        }
        List<Map<String, Object>> views = response.getAffiliatesList().stream()
                .sorted(Comparator.comparing(Affiliate::getId))
                .map(a -> AffiliateView.fromRaw(a, codec))
                .toList();
        new Printer(out, connection.output).printList(views);
        return 0;
    }
}
