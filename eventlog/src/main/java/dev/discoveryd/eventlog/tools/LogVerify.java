package dev.discoveryd.eventlog.tools;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogHead;
import dev.discoveryd.eventlog.LogScanner;
import dev.discoveryd.eventlog.record.ChainBreakException;
import dev.discoveryd.eventlog.record.ChainCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * {@code log verify}: authenticates every record and its link to the one before. Prints {@code ok ...} or
 * {@code BAD record <index> (<file> entry <n>): <reason>} naming the first modified, removed, reordered or inserted
 * record. An unreadable last record (a torn write the service has not yet dropped, or a modified last record) is
 * reported as bad too. Records cut off the end of the log are found through heads kept outside it ({@link Anchor}:
 * the one the latest snapshot recorded, or one exported earlier with {@code log head}): the log must still reach
 * each. Without any head, a truncated log looks like an older, shorter one; whole files deleted from its start look
 * like retention.
 */
public final class LogVerify {
    private final Path dataDir;
    private final KeyRing keys;

    /** A head the log must still reach, and where it came from (for the message). */
    public record Anchor(String source, LogHead head) {
    }

    public LogVerify(Path dataDir, KeyRing keys) {
        this.dataDir = dataDir;
        this.keys = keys;
    }

    /** Verifies and prints the verdict; returns an {@link ExitCodes} value. */
    public int run(PrintStream out) {
        return run(List.of(), out, null, Clock.systemUTC());
    }

    /** Verifies the chain and that the log reaches every anchor; progress lines (long logs) go to {@code progress}. */
    public int run(List<Anchor> anchors, PrintStream out, PrintStream progress, Clock clock) {
        try (LogScanner scanner = LogScanner.open(dataDir, keys)) {
            long[] range = {-1, -1};
            ScanProgress counter = new ScanProgress("verify", progress, clock, scanner.recordCount());
            try {
                ChainCheck check = scanner.scan(ChronicleEventLog.NO_INDEX, ce -> {
                    counter.tick();
                    if (range[0] < 0) {
                        range[0] = ce.index();
                    }
                    range[1] = ce.index();
                });
                counter.finish();
                if (check.unresolvedTail().isPresent()) {
                    long bad = check.unresolvedTail().getAsLong();
                    out.println("BAD record " + bad + " (" + scanner.locate(bad) + "): " + check.unresolvedReason()
                            + "; it is the last record: a write torn by a crash (the service drops it on start) or a"
                            + " modification");
                    return ExitCodes.CORRUPT;
                }
                StringBuilder reached = new StringBuilder();
                for (Anchor anchor : anchors) {
                    String problem = scanner.headProblem(anchor.head());
                    if (problem != null) {
                        out.println("BAD log: " + problem + " (the head in " + anchor.source() + " is record "
                                + anchor.head().index() + ")");
                        return ExitCodes.CORRUPT;
                    }
                    reached.append(", reaches the head in ").append(anchor.source())
                            .append(" (record ").append(anchor.head().index()).append(')');
                }
                long events = counter.count();
                out.println("ok: " + events + " events" + (events > 0 ? " at indexes " + range[0] + ".." + range[1] : "")
                        + (check.dropped() > 0 ? ", " + check.dropped() + " torn record(s) dropped by recovery" : "")
                        + reached
                        + (anchors.isEmpty() ? "; no head to check against, so records cut off the end would not show"
                                + " (keep one with `log head`)" : ""));
                return ExitCodes.OK;
            } catch (ChainBreakException e) {
                out.println("BAD record " + e.index() + " (" + scanner.locate(e.index()) + "): " + e.reason());
                return ExitCodes.CORRUPT;
            }
        } catch (EventLogException e) {
            out.println("cannot verify: " + e.getMessage());
            return ExitCodes.UNUSABLE;
        }
    }

    /**
     * {@code log head}: verifies the log and writes its head (the last record's index and mac, {@link LogHead#toJson})
     * to {@code out}, for the operator to keep elsewhere and check later with {@code log verify --anchor}. Problems go
     * to {@code err}. Returns an {@link ExitCodes} value.
     */
    public int head(java.io.Writer out, PrintStream err, PrintStream progress, Clock clock) {
        try (LogScanner scanner = LogScanner.open(dataDir, keys)) {
            ScanProgress counter = new ScanProgress("head", progress, clock, scanner.recordCount());
            ChainCheck check;
            try {
                check = scanner.scan(ChronicleEventLog.NO_INDEX, ce -> counter.tick());
            } catch (ChainBreakException e) {
                err.println("no head: the log is bad at record " + e.index() + " (" + scanner.locate(e.index()) + "): "
                        + e.reason());
                return ExitCodes.CORRUPT;
            }
            counter.finish();
            if (check.lastGoodIndex() < 0) {
                err.println("no head: the log is empty");
                return ExitCodes.UNUSABLE;
            }
            if (check.unresolvedTail().isPresent()) {
                err.println("note: the last record " + check.unresolvedTail().getAsLong() + " is unreadable ("
                        + check.unresolvedReason() + "); the head is the record before it");
            }
            out.write(new LogHead(check.lastGoodIndex(), check.anchor()).toJson());
            out.flush();
            return ExitCodes.OK;
        } catch (EventLogException e) {
            err.println("cannot read the log: " + e.getMessage());
            return ExitCodes.UNUSABLE;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
