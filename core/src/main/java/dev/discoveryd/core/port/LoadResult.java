package dev.discoveryd.core.port;

import dev.discoveryd.core.LogPosition;
import dev.discoveryd.core.View;

import java.time.Duration;

/** The outcome of loading a snapshot: a view, no snapshot at all, or a snapshot that could not be used. */
public sealed interface LoadResult {

    /** The view with everything up to {@code covered}: replay the log after it. */
    record Loaded(View view, LogPosition covered, StorageStats stats) implements LoadResult {
    }

    /** There is no snapshot (a new data directory): replay the whole log. */
    record Missing() implements LoadResult {
    }

    /**
     * A snapshot exists but is unreadable (damaged, deleted files, unknown keys, unknown format): replay the whole log
     * and then save a full snapshot with {@link SnapshotStore#replace}.
     */
    record Failed(String reason, Throwable cause, Duration duration) implements LoadResult {
    }
}
