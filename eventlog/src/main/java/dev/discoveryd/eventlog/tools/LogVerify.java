package dev.discoveryd.eventlog.tools;

import dev.discoveryd.crypto.KeyRing;
import dev.discoveryd.eventlog.ChronicleEventLog;
import dev.discoveryd.eventlog.EventLogException;
import dev.discoveryd.eventlog.LogScanner;
import dev.discoveryd.eventlog.record.ChainBreakException;
import dev.discoveryd.eventlog.record.ChainCheck;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code log verify}: authenticates every record and its link to the one before. Prints {@code ok ...} or
 * {@code BAD record <index> (<file> entry <n>): <reason>} naming the first modified, removed, reordered or inserted
 * record. An unreadable last record (a torn write the service has not yet dropped, or a modified last record) is
 * reported as bad too. Limits: records deleted from the end of the log, or whole files deleted from its start, look
 * like a shorter log or like retention.
 */
public final class LogVerify {
    private final Path dataDir;
    private final KeyRing keys;

    public LogVerify(Path dataDir, KeyRing keys) {
        this.dataDir = dataDir;
        this.keys = keys;
    }

    /** Verifies and prints the verdict; returns an {@link ExitCodes} value. */
    public int run(PrintStream out) {
        try (LogScanner scanner = LogScanner.open(dataDir, keys)) {
            long[] events = {0};
            long[] range = {-1, -1};
            try {
                ChainCheck check = scanner.scan(ChronicleEventLog.NO_INDEX, ce -> {
                    events[0]++;
                    if (range[0] < 0) {
                        range[0] = ce.index();
                    }
                    range[1] = ce.index();
                });
                if (check.unresolvedTail().isPresent()) {
                    long bad = check.unresolvedTail().getAsLong();
                    out.println("BAD record " + bad + " (" + scanner.locate(bad) + "): " + check.unresolvedReason()
                            + "; it is the last record: a write torn by a crash (the service drops it on start) or a"
                            + " modification");
                    return ExitCodes.CORRUPT;
                }
                out.println("ok: " + events[0] + " events" + (events[0] > 0 ? " at indexes " + range[0] + ".." + range[1] : "")
                        + (check.dropped() > 0 ? ", " + check.dropped() + " torn record(s) dropped by recovery" : ""));
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
}
