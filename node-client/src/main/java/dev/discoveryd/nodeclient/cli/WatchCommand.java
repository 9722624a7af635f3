package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.state.AffiliateDiff;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** {@code watch}: the library's client (with its backoff and retries), printing each change until interrupted. */
final class WatchCommand {
    static final CliCommand COMMAND = new CliCommand("watch", "Print affiliate changes as they happen, until interrupted.",
            false, ConnectionOptions.OPTIONS, WatchCommand::run);

    private WatchCommand() {
    }

    static int run(CliArgs args, PrintWriter out) throws Exception {
        ConnectionOptions connection = new ConnectionOptions(args);
        Printer printer = new Printer(out, connection.output);
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "discovery-watch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (DiscoveryClient client = DiscoveryClient.create(connection.clientOptions(null))) {
            AtomicReference<List<DiscoveredAffiliate>> previous = new AtomicReference<>(List.of());
            client.addListener(current -> {
                AffiliateDiff diff = AffiliateDiff.between(previous.getAndSet(current), current);
                diff.added().forEach(a -> printer.printEvent("added", AffiliateView.from(a)));
                diff.updated().forEach(a -> printer.printEvent("updated", AffiliateView.from(a)));
                diff.removed().forEach(id -> printer.printEvent("removed", Map.of("id", id)));
            });
            client.start();
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; nothing to undo
            }
        }
        return 0;
    }
}
