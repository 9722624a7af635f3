package dev.discoveryd.nodeclient.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

class CliLoggingTest {
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream stderr;
    private String level;

    @BeforeEach
    void captureStderr() {
        stderr = System.err;
        level = System.getProperty(CliLogging.LEVEL_PROPERTY);
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(stderr);
        if (level == null) {
            System.clearProperty(CliLogging.LEVEL_PROPERTY);
        } else {
            System.setProperty(CliLogging.LEVEL_PROPERTY, level);
        }
    }

    @Test
    void ourLoggersAtTheChosenLevelOthersAtWarn() {
        Logger ours = logger("INFO", "dev.discoveryd.nodeclient.client.DiscoverySession");
        Logger netty = logger("INFO", "io.netty.channel.Foo");
        assertThat(ours.isInfoEnabled()).isTrue();
        assertThat(ours.isDebugEnabled()).isFalse();
        assertThat(netty.isInfoEnabled()).isFalse();
        assertThat(netty.isWarnEnabled()).isTrue();
        assertThat(logger("WARN", "dev.discoveryd.X").isInfoEnabled()).isFalse();
        assertThat(logger("DEBUG", "dev.discoveryd.X").isDebugEnabled()).isTrue();
        assertThat(logger("nonsense", "dev.discoveryd.X").isInfoEnabled()).as("an unknown level is WARN").isFalse();
    }

    @Test
    void oneLinePerEventOnStderrWithTheShortLoggerName() {
        Logger log = logger("INFO", "dev.discoveryd.nodeclient.client.Handshake");
        log.info("{} redirects to {}", "a", "b");
        log.debug("not shown");
        log.warn("failed", new IOException("boom"));
        String[] lines = text().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d INFO  Handshake - a redirects to b");
        assertThat(lines[1]).as("an exception is its message, not a stack trace").endsWith(" WARN  Handshake - failed (java.io.IOException: boom)");
    }

    @Test
    void stackTracesOnlyAtDebug() {
        logger("DEBUG", "dev.discoveryd.X").warn("failed", new IOException("boom"));
        assertThat(text()).contains("WARN  X - failed\njava.io.IOException: boom\n\tat ");
    }

    private Logger logger(String level, String name) {
        System.setProperty(CliLogging.LEVEL_PROPERTY, level);
        return new CliLogging().getLoggerFactory().getLogger(name);
    }

    private String text() {
        return captured.toString(StandardCharsets.UTF_8);
    }
}
