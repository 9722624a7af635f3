package dev.discoveryd.nodeclient.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The CLI's logging, set up in code: one stderr appender (stdout stays clean for json/yaml), our loggers at the
 * level {@code -v}/{@code -vv} chose, everything else at WARN. Parsing an XML configuration instead cost the CLI
 * about 640 classes at every start. Acts only in the CLI (its {@link Main} sets {@link #LEVEL_PROPERTY}), so an
 * application using the library keeps its own logging; ranked below Logback's file search, so a
 * {@code -Dlogback.configurationFile} given by an operator still wins.
 */
@ConfiguratorRank(ConfiguratorRank.FALLBACK + 6)
public final class CliLogConfigurator extends ContextAwareBase implements Configurator {
    static final String LEVEL_PROPERTY = "discovery.client.log.level";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        String level = System.getProperty(LEVEL_PROPERTY);
        if (level == null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDERR");
        console.setTarget("System.err");
        console.setEncoder(encoder);
        console.start();
        context.getLogger("dev.discoveryd").setLevel(Level.toLevel(level, Level.WARN));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
