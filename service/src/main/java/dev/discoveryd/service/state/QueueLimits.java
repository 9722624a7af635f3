package dev.discoveryd.service.state;

/**
 * How much one cluster may have waiting behind its change in flight ({@code --cluster-queue},
 * {@code --cluster-queue-bytes}). Beyond either bound a change is refused at once instead of queued, so a stalled log
 * costs bounded memory. Garbage collection is exempt: it queues at most one command per cluster.
 *
 * @param maxCommands changes waiting per cluster
 * @param maxBytes    their estimated size in memory
 */
public record QueueLimits(int maxCommands, long maxBytes) {
    /** Every affiliate of a full cluster (1024) may have one change waiting. */
    public static final int DEFAULT_COMMANDS = 1024;
    /** About 1024 changes of an average 8 KiB: a maximal AffiliateUpdate (2 KB data, 64 endpoints) is about 5 KB. */
    public static final long DEFAULT_BYTES = 8L * 1024 * 1024;
    public static final QueueLimits DEFAULTS = new QueueLimits(DEFAULT_COMMANDS, DEFAULT_BYTES);

    public QueueLimits {
        if (maxCommands < 1) {
            throw new IllegalArgumentException("--cluster-queue must be at least 1");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("--cluster-queue-bytes must be positive");
        }
    }
}
