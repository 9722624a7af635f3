package dev.discoveryd.service.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

import java.util.Iterator;

/**
 * Applies the logging flags to the Logback configuration (ConsoleLogConfigurator, or a logback.xml an operator gives): {@code --log-format=json} swaps the
 * console encoder for Logback's JSON encoder (one object per line); {@code --debug} lowers the service's loggers to
 * DEBUG. With the defaults nothing changes.
 */
public final class LogSetup {
    private static final String SERVICE_LOGGERS = "dev.discoveryd";

    private LogSetup() {
    }

    public static void apply(String format, boolean debug) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, format, debug);
        }
    }

    /** As {@link #apply(String, boolean)}, on a given Logback context. */
    public static void apply(LoggerContext context, String format, boolean debug) {
        // Kafka's clients log their whole configuration and every rebalance step at INFO: not operator news.
        context.getLogger("org.apache.kafka").setLevel(Level.WARN);
        if ("json".equals(format)) {
            Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
                if (it.next() instanceof OutputStreamAppender<ILoggingEvent> out) {
                    useJson(context, out);
                }
            }
        }
        if (debug) {
            context.getLogger(SERVICE_LOGGERS).setLevel(Level.DEBUG);
        }
    }

    private static void useJson(LoggerContext context, OutputStreamAppender<ILoggingEvent> appender) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithContext(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        // Swapped in place: stopping the appender would close the stream it writes to.
        appender.setEncoder(encoder);
    }
}
