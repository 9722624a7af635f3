package dev.discoveryd.nodeclient.cli;

import dev.discoveryd.nodeclient.client.DiscoveryClient;
import dev.discoveryd.nodeclient.state.AffiliateDiff;
import dev.discoveryd.nodeclient.state.DiscoveredAffiliate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "watch", description = "Print affiliate changes as they happen, until interrupted.")
final class WatchCommand implements Callable<Integer> {
    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Printer printer = new Printer(spec.commandLine().getOut(), connection.output);
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
