package dev.discoveryd.nodeclient.cli;

import java.io.PrintStream;
import java.time.LocalTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The CLI's logging: one line per event on stderr ({@code 12:00:00.000 INFO  Handshake - message}; stdout stays
 * clean for json/yaml), our loggers at the level {@code -v}/{@code -vv} chose, everything else at WARN. An SLF4J
 * provider of a dozen classes instead of Logback's two hundred, loaded only where {@link Main#main} names it
 * ({@code slf4j.provider}); it is not registered as a service, so applications using the library, and the tests,
 * keep their own logging. An operator's {@code -Dslf4j.provider} still wins.
 */
public final class CliLogging implements SLF4JServiceProvider {
    static final String LEVEL_PROPERTY = "discovery.client.log.level";

    private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
    private final ILoggerFactory factory = name -> loggers.computeIfAbsent(name, StderrLogger::new);
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
    }

    private static final class StderrLogger extends LegacyAbstractLogger {
        private final String shortName;
        private final int threshold;

        StderrLogger(String name) {
            this.name = name;
            this.shortName = name.substring(name.lastIndexOf('.') + 1);
            Level level = Level.WARN;
            if (name.startsWith("dev.discoveryd")) {
                try {
                    level = Level.valueOf(System.getProperty(LEVEL_PROPERTY, "WARN"));
                } catch (IllegalArgumentException unknown) {
                    // keep WARN
                }
            }
            this.threshold = level.toInt();
        }

        private boolean enabled(Level level) {
            return level.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        /** A throwable is shown as its message, with its stack trace only at debug level: expected failures stay one line. */
        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                Throwable throwable) {
            LocalTime now = LocalTime.now();
            StringBuilder line = new StringBuilder(128);
            two(line, now.getHour()).append(':');
            two(line, now.getMinute()).append(':');
            two(line, now.getSecond()).append('.');
            int millis = now.getNano() / 1_000_000;
            line.append(millis < 100 ? "0" : "").append(millis < 10 ? "0" : "").append(millis).append(' ');
            String levelName = level.name();
            line.append(levelName).append(" ".repeat(6 - levelName.length())).append(shortName).append(" - ")
                    .append(MessageFormatter.basicArrayFormat(pattern, arguments));
            if (throwable != null && threshold > Level.DEBUG.toInt()) {
                line.append(" (").append(throwable).append(')');
            }
            PrintStream err = System.err;
            synchronized (err) {
                err.println(line);
                if (throwable != null && threshold <= Level.DEBUG.toInt()) {
                    throwable.printStackTrace(err);
                }
            }
        }

        private static StringBuilder two(StringBuilder line, int value) {
            return line.append(value < 10 ? "0" : "").append(value);
        }
    }
}
