package dev.discoveryd.service.ops;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.discoveryd.api.server.ClusterGrpcClient;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.service.DiscoveryServer;
import dev.discoveryd.service.logging.LogSetup;
import io.vertx.core.json.JsonObject;
import io.vertx.grpc.common.GrpcStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --log-format=json and --debug, and that expected errors never produce stack traces. */
class LoggingTest {
    @TempDir
    Path dir;

    @Test
    void jsonFormatWritesOneObjectPerLineAndDebugLowersTheServiceLoggers() {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputStreamAppender<ILoggingEvent> console = new OutputStreamAppender<>();
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern("%msg%n");
        text.start();
        console.setContext(context);
        console.setEncoder(text);
        console.setOutputStream(out);
        console.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(console);

        LogSetup.apply(context, "json", true);
        context.getLogger("dev.discoveryd.service.Example").info("served {} requests", 42);

        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        JsonObject line = new JsonObject(lines[lines.length - 1]);
        assertThat(line.getString("level")).isEqualTo("INFO");
        assertThat(line.getString("loggerName")).isEqualTo("dev.discoveryd.service.Example");
        assertThat(line.getString("formattedMessage")).isEqualTo("served 42 requests");
        assertThat(context.getLogger("dev.discoveryd").getLevel()).isEqualTo(Level.DEBUG);
        context.stop();
    }

    @Test
    void expectedErrorsAreLoggedWithoutStackTraces() throws Exception {
        TestCertificates.Issued issued = TestCertificates.rsa("logs");
        Path cert = dir.resolve("tls.crt");
        Path key = dir.resolve("tls.key");
        Files.writeString(cert, TestCertificates.pem(issued.certificate()));
        Files.writeString(key, TestCertificates.pkcs8(issued.keys().getPrivate()));
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger service = (Logger) LoggerFactory.getLogger("dev.discoveryd");
        Level before = service.getLevel();
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        try (DiscoveryServer server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=",
                "--in-memory", "--event-loops=1", "--debug", "--ip-rate-limit=0.01", "--ip-rate-burst=1",
                "--certificate-path=" + cert, "--key-path=" + key);
             GrpcCaller client = new GrpcCaller(server.grpcPort(), true)) {
            HelloRequest bad = HelloRequest.newBuilder().setClusterId("").build();
            // One token, the next in 100 s: the second call is refused at once however slow the machine, and its
            // deadline is long enough never to expire first.
            assertThat(client.call(ClusterGrpcClient.Hello, bad, Map.of("x-real-ip", "192.0.2.1"), 0).status())
                    .isEqualTo(GrpcStatus.INVALID_ARGUMENT);
            assertThat(client.call(ClusterGrpcClient.Hello, bad, Map.of("x-real-ip", "192.0.2.1"), 10_000).status())
                    .isEqualTo(GrpcStatus.RESOURCE_EXHAUSTED);
            try (Socket plain = new Socket("127.0.0.1", server.grpcPort())) {
                OutputStream o = plain.getOutputStream();
                o.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                o.flush();
                assertThat(plain.getInputStream().read(new byte[64])).as("no plaintext answer on a TLS port").isLessThanOrEqualTo(7);
            }
            assertThatThrownBy(() -> TlsProbe.connect(server.grpcPort(), "TLSv1.1")).as("no TLS 1.1").isInstanceOf(Exception.class);
        } finally {
            root.detachAppender(events);
            service.setLevel(before);
        }
        assertThat(events.list).extracting(ILoggingEvent::getFormattedMessage)
                .anySatisfy(m -> assertThat(m).contains("Hello from 192.0.2.1 -> " + GrpcStatus.INVALID_ARGUMENT))
                .anySatisfy(m -> assertThat(m).contains("rate limit: refused a request from 192.0.2.1"));
        assertThat(events.list).allSatisfy(e -> {
            assertThat(e.getThrowableProxy()).as("stack trace on: %s", e.getFormattedMessage()).isNull();
            assertThat(e.getLevel().isGreaterOrEqual(Level.ERROR)).as("error: %s", e.getFormattedMessage()).isFalse();
        });
    }
}
