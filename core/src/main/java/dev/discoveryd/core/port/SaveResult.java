package dev.discoveryd.core.port;

import dev.discoveryd.core.LogPosition;

/**
 * A durable save: the snapshot now covers the log up to and including {@code covered}, so log records before it
 * may be compacted.
 *
 * @param written  clusters written by this save
 * @param removed  clusters removed by this save
 * @param rekeyed  whether every entry was re-blinded and re-sealed because the key generation changed
 * @param stats    totals of the snapshot after the save, with the size and the time it took
 */
public record SaveResult(LogPosition covered, int written, int removed, boolean rekeyed, StorageStats stats) {
}
