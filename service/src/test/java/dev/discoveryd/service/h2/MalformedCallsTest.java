package dev.discoveryd.service.h2;

import com.google.protobuf.Duration;
import dev.discoveryd.api.server.AffiliateUpdateRequest;
import dev.discoveryd.api.server.HelloRequest;
import dev.discoveryd.api.server.HelloResponse;
import dev.discoveryd.api.server.ListRequest;
import dev.discoveryd.api.server.ListResponse;
import dev.discoveryd.service.DiscoveryServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17 items 3, 4 and 5, in raw HTTP/2 frames: every malformed request gets a gRPC status with a short message, as
 * grpc-go answers, a unary call changes nothing unless it carries exactly one valid message, and an out-of-range TTL
 * is an invalid argument.
 */
class MalformedCallsTest {
    static final int INTERNAL = 13, UNIMPLEMENTED = 12, INVALID_ARGUMENT = 3, RESOURCE_EXHAUSTED = 8, OK = 0;
    static DiscoveryServer server;
    static LogCapture logs;

    @BeforeAll
    static void start() throws Exception {
        logs = LogCapture.start();
        server = DiscoveryServer.start("--addr=127.0.0.1:0", "--landing-addr=", "--metrics-addr=", "--in-memory",
                "--ip-rate-limit=0");
    }

    @AfterAll
    static void stop() {
        server.close();
        logs.close();
    }

    static byte[] hello(String cluster) {
        return HelloRequest.newBuilder().setClusterId(cluster).setClientVersion("v1.9.0").build().toByteArray();
    }

    private RawH2.Stream call(String method, byte[] body, String... headers) throws Exception {
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            return h2.call(method, body, headers);
        }
    }

    @Test
    void aWellFormedHelloIsAnswered() throws Exception {
        RawH2.Stream s = call("Hello", RawH2.grpcFrame(hello("c")));
        assertThat(s.grpcStatus()).as(s.toString()).isEqualTo(OK);
        assertThat(HelloResponse.parseFrom(s.messages().get(0)).getClientIp().size()).isEqualTo(4);
    }

    @Test
    void aUnaryCallWithoutAMessageIsInternal() throws Exception {
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            int id = h2.open(RawH2.grpcHeaders("Hello"), true);
            RawH2.Stream s = h2.stream(id).await(5);
            assertThat(s.grpcStatus()).as(s.toString()).isEqualTo(INTERNAL);
            assertThat(s.grpcMessage()).contains("no request message");
        }
        assertThat(call("Hello", new byte[0]).grpcStatus()).isEqualTo(INTERNAL);
    }

    @Test
    void aTruncatedLengthPrefixOrMessageIsInternal() throws Exception {
        RawH2.Stream prefix = call("Hello", new byte[]{0, 0, 0});
        assertThat(prefix.grpcStatus()).as(prefix.toString()).isEqualTo(INTERNAL);
        assertThat(prefix.grpcMessage()).contains("unexpected EOF");
        byte[] msg = hello("c");
        RawH2.Stream body = call("Hello", RawH2.grpcFrame(0, msg.length + 10, msg));
        assertThat(body.grpcStatus()).as(body.toString()).isEqualTo(INTERNAL);
    }

    @Test
    void aCompressedFlagWithoutEncodingIsInternal() throws Exception {
        RawH2.Stream s = call("Hello", RawH2.grpcFrame(1, hello("c").length, hello("c")));
        assertThat(s.grpcStatus()).as(s.toString()).isEqualTo(INTERNAL);
        assertThat(s.grpcMessage()).contains("compressed flag set with identity or empty encoding");
    }

    @Test
    void aFlagOtherThanZeroOrOneIsInternal() throws Exception {
        RawH2.Stream s = call("Hello", RawH2.grpcFrame(2, hello("c").length, hello("c")));
        assertThat(s.grpcStatus()).as(s.toString()).isEqualTo(INTERNAL);
        assertThat(s.grpcMessage()).contains("unexpected payload format 2");
    }

    @Test
    void garbageProtobufAndInvalidUtf8AreInternal() throws Exception {
        RawH2.Stream garbage = call("Hello", RawH2.grpcFrame(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff}));
        assertThat(garbage.grpcStatus()).as(garbage.toString()).isEqualTo(INTERNAL);
        assertThat(garbage.grpcMessage()).startsWith("grpc: error unmarshalling request");
        // Field 1 (cluster_id, a proto3 string) holding bytes that are not UTF-8.
        RawH2.Stream utf8 = call("Hello", RawH2.grpcFrame(new byte[]{0x0a, 2, (byte) 0xc3, (byte) 0x28}));
        assertThat(utf8.grpcStatus()).as(utf8.toString()).isEqualTo(INTERNAL);
        assertThat(utf8.grpcMessage()).contains("UTF-8");
    }

    @Test
    void gzipIsDecodedBoundedAndABadBodyIsInternal() throws Exception {
        byte[] zipped = gzip(hello("c"));
        RawH2.Stream ok = call("Hello", RawH2.grpcFrame(1, zipped.length, zipped), "grpc-encoding", "gzip");
        assertThat(ok.grpcStatus()).as(ok.toString()).isEqualTo(OK);
        byte[] junk = {1, 2, 3, 4, 5, 6};
        RawH2.Stream bad = call("Hello", RawH2.grpcFrame(1, junk.length, junk), "grpc-encoding", "gzip");
        assertThat(bad.grpcStatus()).as(bad.toString()).isEqualTo(INTERNAL);
        assertThat(bad.grpcMessage()).contains("failed to decompress");
        // 64 KiB of zeros compress to a few hundred bytes; expanded they exceed the message limit.
        byte[] bomb = gzip(new byte[70_000]);
        RawH2.Stream big = call("Hello", RawH2.grpcFrame(1, bomb.length, bomb), "grpc-encoding", "gzip");
        assertThat(big.grpcStatus()).as(big.toString()).isEqualTo(RESOURCE_EXHAUSTED);
    }

    @Test
    void anUnsupportedEncodingIsUnimplemented() throws Exception {
        RawH2.Stream s = call("Hello", RawH2.grpcFrame(hello("c")), "grpc-encoding", "br");
        assertThat(s.grpcStatus()).as(s.toString()).isEqualTo(UNIMPLEMENTED);
        assertThat(s.last("grpc-accept-encoding")).isEqualTo("gzip");
    }

    @Test
    void unknownMethodsAndOversizedMessagesAreRefused() throws Exception {
        assertThat(call("Nope", RawH2.grpcFrame(hello("c"))).grpcStatus()).isEqualTo(UNIMPLEMENTED);
        assertThat(call("/other.Service/Hello", RawH2.grpcFrame(hello("c"))).grpcMessage()).isEqualTo("unknown service other.Service");
        RawH2.Stream big = call("Hello", RawH2.grpcFrame(0, 1 << 20, new byte[0]));
        assertThat(big.grpcStatus()).as(big.toString()).isEqualTo(RESOURCE_EXHAUSTED);
        assertThat(big.grpcMessage()).contains("larger than max");
    }

    @Test
    void aUnaryCallWithTwoMessagesChangesNothing() throws Exception {
        byte[] a = AffiliateUpdateRequest.newBuilder().setClusterId("two").setAffiliateId("a").build().toByteArray();
        byte[] b = AffiliateUpdateRequest.newBuilder().setClusterId("two").setAffiliateId("b").build().toByteArray();
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(RawH2.grpcFrame(a));
        both.writeBytes(RawH2.grpcFrame(b));
        RawH2.Stream s = call("AffiliateUpdate", both.toByteArray());
        assertThat(s.grpcStatus()).as(s.toString()).isEqualTo(INTERNAL);
        assertThat(s.grpcMessage()).contains("cardinality violation");
        // A valid message then one with a bad flag: refused as a whole as well.
        both.reset();
        both.writeBytes(RawH2.grpcFrame(a));
        both.writeBytes(RawH2.grpcFrame(3, b.length, b));
        assertThat(call("AffiliateUpdate", both.toByteArray()).grpcStatus()).isEqualTo(INTERNAL);
        assertThat(server.registry().list("two")).isEmpty();
    }

    @Test
    void aMessageWithoutHalfCloseIsNotAppliedUntilTheStreamEnds() throws Exception {
        byte[] a = AffiliateUpdateRequest.newBuilder().setClusterId("open").setAffiliateId("a").build().toByteArray();
        try (RawH2 h2 = RawH2.connect(server.grpcPort())) {
            int id = h2.open(RawH2.grpcHeaders("AffiliateUpdate"), false);
            h2.data(id, RawH2.grpcFrame(a), false);
            // A call answered on the same connection after it: the server has read the message by then, and must not
            // have acted on it before the end of its stream.
            RawH2.Stream list = h2.call("List", RawH2.grpcFrame(ListRequest.newBuilder().setClusterId("open").build().toByteArray()));
            assertThat(list.grpcStatus()).as(list.toString()).isEqualTo(OK);
            assertThat(ListResponse.parseFrom(list.messages().get(0)).getAffiliatesCount()).isZero();
            assertThat(server.registry().list("open")).isEmpty();
            h2.data(id, RawH2.grpcFrame(a), true);
            assertThat(h2.stream(id).await(5).grpcStatus()).isEqualTo(INTERNAL);
        }
        assertThat(server.registry().list("open")).isEmpty();
    }

    @Test
    void aTtlOutsideTheDurationRangeIsAnInvalidArgumentAndLogsNothing() throws Exception {
        byte[] req = AffiliateUpdateRequest.newBuilder().setClusterId("ttl").setAffiliateId("a")
                .setTtl(Duration.newBuilder().setSeconds(Long.MIN_VALUE).setNanos(-999_999_999)).build().toByteArray();
        RawH2.Stream s = call("AffiliateUpdate", RawH2.grpcFrame(req));
        assertThat(s.grpcStatus()).as(s.toString()).isEqualTo(INVALID_ARGUMENT);
        byte[] huge = AffiliateUpdateRequest.newBuilder().setClusterId("ttl").setAffiliateId("a")
                .setTtl(Duration.newBuilder().setSeconds(Long.MAX_VALUE).setNanos(999_999_999)).build().toByteArray();
        assertThat(call("AffiliateUpdate", RawH2.grpcFrame(huge)).grpcStatus()).isEqualTo(INVALID_ARGUMENT);
        assertThat(server.registry().list("ttl")).isEmpty();
        assertThat(logs.errors()).isEmpty();
    }

    static byte[] gzip(byte[] data) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        }
        return b.toByteArray();
    }
}
