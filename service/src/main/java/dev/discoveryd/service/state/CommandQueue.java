package dev.discoveryd.service.state;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The changes waiting behind a cluster's change in flight, bounded in count and bytes. Not thread-safe: guarded by
 * its {@link ClusterRuntime}'s monitor.
 */
final class CommandQueue {
    private final QueueLimits limits;
    /** Changes waiting over all clusters (a gauge). */
    private final LongAdder total;
    private final ArrayDeque<Command> commands = new ArrayDeque<>();
    private long bytes;

    CommandQueue(QueueLimits limits, LongAdder total) {
        this.limits = limits;
        this.total = total;
    }

    /** Queues {@code command}, or returns why not when the queue is full. */
    String offer(Command command) {
        if (!command.housekeeping && (commands.size() >= limits.maxCommands() || bytes + command.bytes > limits.maxBytes())) {
            return "cluster has too many changes waiting to be stored (" + commands.size() + " changes, " + bytes
                    + " bytes); try again";
        }
        commands.add(command);
        bytes += command.bytes;
        total.increment();
        return null;
    }

    Command poll() {
        Command c = commands.poll();
        if (c != null) {
            bytes -= c.bytes;
            total.decrement();
        }
        return c;
    }

    boolean isEmpty() {
        return commands.isEmpty();
    }

    int size() {
        return commands.size();
    }

    long bytes() {
        return bytes;
    }

    /** Removes the commands whose caller is gone at {@code now} and returns them (a full queue makes room first). */
    java.util.List<Command> removeGone(Instant now) {
        java.util.List<Command> gone = new java.util.ArrayList<>();
        for (Iterator<Command> it = commands.iterator(); it.hasNext(); ) {
            Command c = it.next();
            if (c.caller.gone(now) != null) {
                it.remove();
                bytes -= c.bytes;
                total.decrement();
                gone.add(c);
            }
        }
        return gone;
    }
}
