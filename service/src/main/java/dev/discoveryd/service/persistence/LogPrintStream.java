package dev.discoveryd.service.persistence;

import org.slf4j.Logger;

import java.io.OutputStream;
import java.io.PrintStream;

/** Sends progress lines written for a terminal to the log instead, one log line each. */
final class LogPrintStream extends PrintStream {
    private final Logger log;

    LogPrintStream(Logger log) {
        super(OutputStream.nullOutputStream());
        this.log = log;
    }

    @Override
    public void println(String line) {
        log.info(line);
    }
}
