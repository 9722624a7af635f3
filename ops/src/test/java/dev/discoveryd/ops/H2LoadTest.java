package dev.discoveryd.ops;

import dev.discoveryd.api.server.HelloRequest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the comparison reads from h2load and from the server: report lines of h2load 1.52, a real metrics page. */
class H2LoadTest {
    private static final String REPORT = """
            Main benchmark duration is over for thread #0. Stopping all clients.
            Stopped all clients for thread #0

            finished in 3.00s, 1128.00 req/s, 57.28KB/s
            requests: 2256 total, 2256 started, 2250 done, 2240 succeeded, 7 failed, 3 errored, 0 timeout
            status codes: 2240 2xx, 0 3xx, 0 4xx, 7 5xx
            traffic: 114.56KB (117312) total, 7.56KB (7744) headers (space savings 94.42%), 27.59KB (28248) data
            """;

    private static final String METRICS = """
            # HELP grpc_server_handled_total RPCs completed, by status
            grpc_server_handled_total{grpc_code="Internal",grpc_method="Hello",grpc_service="sidero.discovery.server.Cluster",grpc_type="unary"} 5.0
            grpc_server_handled_total{grpc_code="OK",grpc_method="Hello",grpc_service="sidero.discovery.server.Cluster",grpc_type="unary"} 2584.0
            grpc_server_handled_total{grpc_code="OK",grpc_method="List",grpc_service="sidero.discovery.server.Cluster",grpc_type="unary"} 9.0
            grpc_server_handled_total{grpc_code="Canceled",grpc_method="Watch",grpc_service="sidero.discovery.server.Cluster",grpc_type="server_stream"} 3.0
            grpc_server_started_total{grpc_method="Hello",grpc_service="sidero.discovery.server.Cluster",grpc_type="unary"} 2589.0
            """;

    @Test
    void framesAMessageAsGrpcDoesUncompressedWithItsLength() throws Exception {
        HelloRequest hello = HelloRequest.newBuilder().setClusterId("h2").setClientVersion("v1.9").build();
        byte[] framed = H2Load.frame(hello);
        ByteBuffer b = ByteBuffer.wrap(framed);
        assertThat(b.get()).isZero();
        assertThat(b.getInt()).isEqualTo(framed.length - 5);
        assertThat(HelloRequest.parseFrom(Arrays.copyOfRange(framed, 5, framed.length))).isEqualTo(hello);
    }

    @Test
    void readsTheRateAndTheFailuresOfAnH2loadReport() {
        assertThat(H2Load.parse(REPORT)).containsExactly(1128.0, 2250, 10);
        assertThat(H2Load.parse("connect to 127.0.0.1 port 1 failed: Connection refused\n")).isNull();
    }

    @Test
    void countsTheServersCallsOfOneUnaryMethodByCode() {
        assertThat(H2Load.codes(METRICS, "Hello")).isEqualTo(Map.of("Internal", 5L, "OK", 2584L));
        assertThat(H2Load.codes(METRICS, "Watch")).isEmpty(); // a stream, not a unary call
    }

    @Test
    void aCallTheServerFailedIsAnErrorThoughHttpSaid200AndACancelledOneIsNot() {
        assertThat(new H2Load.Result(1, 10, 0, Map.of("OK", 5L, "Internal", 5L)).grpcErrors()).isEqualTo(5);
        assertThat(new H2Load.Result(1, 10, 0, Map.of("OK", 8L, "Canceled", 2L)).grpcErrors()).isZero();
    }
}
