package dev.discoveryd.service.h2;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/** Collects what the process logs at WARN and above while a test runs. */
public final class LogCapture implements AutoCloseable {
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root;

    private LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** ERROR lines so far, as "logger: message (exception)". */
    public List<String> errors() {
        return atLeast(Level.ERROR);
    }

    public List<String> atLeast(Level level) {
        List<String> out = new ArrayList<>();
        synchronized (appender.list) {
            for (ILoggingEvent e : new ArrayList<>(appender.list)) {
                if (e.getLevel().isGreaterOrEqual(level)) {
                    out.add(e.getLoggerName() + ": " + e.getFormattedMessage()
                            + (e.getThrowableProxy() != null ? " (" + e.getThrowableProxy().getClassName() + ")" : ""));
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
    }
}
