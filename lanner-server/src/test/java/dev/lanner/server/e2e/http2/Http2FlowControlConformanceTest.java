package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.FLOW_CONTROL_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.FRAME_SIZE_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS_INITIAL_WINDOW_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9113 §5.2 flow control and §6.9 WINDOW_UPDATE, in both directions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2FlowControlConformanceTest {

    private static final Duration QUIET = Duration.ofMillis(500);
    /** The server's SETTINGS_INITIAL_WINDOW_SIZE: each stream's receive window. */
    private static final int SERVER_STREAM_WINDOW = 786_432;
    /** The server's connection receive window after its preface WINDOW_UPDATE. */
    private static final int SERVER_CONNECTION_WINDOW = 1_048_576;

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §6.9.1: "A sender MUST NOT send a flow-controlled frame with a length that exceeds
    // the space available in either of the flow-control windows advertised by the receiver."
    // Stream window 100: exactly 100 octets, then nothing until a WINDOW_UPDATE.
    @Test
    void serverSendsNoMoreDataThanTheClientStreamWindowAllows() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 100)) {
            c.setAutoWindowUpdate(false);
            int streamId = c.request("GET", "/big?n=1000", true);
            assertThat(c.readDataThenQuiet(streamId, 100, QUIET)).isEqualTo(100);
            c.send(H2Frames.windowUpdate(streamId, 400));
            assertThat(c.readDataThenQuiet(streamId, 400, QUIET)).isEqualTo(400);
            c.send(H2Frames.windowUpdate(streamId, 500));
            H2Response rest = c.readResponse(streamId);
            assertThat(rest.body()).hasSize(500);
            assertThat(rest.resetCode()).isEqualTo(-1);
        }
    }

    // RFC 9113 §6.9.1, as above, for the connection window: the client never grows it past the
    // initial 65,535, so the server stops there though the stream window is 1 MiB.
    @Test
    void serverSendsNoMoreDataThanTheClientConnectionWindowAllows() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20)) {
            c.setAutoWindowUpdate(false);
            int streamId = c.request("GET", "/big?n=100000", true);
            assertThat(c.readDataThenQuiet(streamId, H2Frames.DEFAULT_WINDOW, QUIET)).isEqualTo(H2Frames.DEFAULT_WINDOW);
            c.send(H2Frames.windowUpdate(0, 100_000 - H2Frames.DEFAULT_WINDOW));
            H2Response rest = c.readResponse(streamId);
            assertThat(rest.body()).hasSize(100_000 - H2Frames.DEFAULT_WINDOW);
        }
    }

    // RFC 9113 §4.2: "An endpoint MUST NOT send a frame with a length that exceeds the size defined
    // by the peer's SETTINGS_MAX_FRAME_SIZE" (default 16,384); the body arrives whole.
    @Test
    void serverDataFramesNeverExceedTheDefaultMaxFrameSize() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20)) {
            c.send(H2Frames.windowUpdate(0, 1 << 20));
            int streamId = c.request("GET", "/big?n=200000", true);
            H2Response response = c.readResponse(streamId);
            assertThat(response.body()).isEqualTo(ConformanceApplication.bigBody(200_000));
            assertThat(response.dataFrames()).isGreaterThanOrEqualTo(200_000 / 16_384 + 1);
        }
    }

    // RFC 9113 §5.2.2, §6.9: the server grants credit back as the application reads, so an upload
    // larger than both its windows completes when the client honours them.
    @Test
    void uploadLargerThanTheServerWindowsCompletes() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 16 << 20)) {
            c.send(H2Frames.windowUpdate(0, 16 << 20));
            byte[] body = new byte[2 * 1024 * 1024];
            ThreadLocalRandom.current().nextBytes(body);
            H2Response response = c.post("/echo", body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    // RFC 9113 §6.9: "A receiver MUST treat the receipt of a WINDOW_UPDATE frame with a flow-control
    // window increment of 0 as a stream error (Section 5.4.2) of type PROTOCOL_ERROR; errors on the
    // connection flow-control window MUST be treated as a connection error (Section 5.4.1)."
    @Test
    void windowUpdateOfZeroOnAStreamIsAStreamProtocolError() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=2000", true);
            c.send(H2Frames.windowUpdate(streamId, 0));
            c.expectRstStream(streamId, PROTOCOL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §6.9, as above, on the connection.
    @Test
    void windowUpdateOfZeroOnTheConnectionIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.windowUpdate(0, 0));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.9.1: "If a sender receives a WINDOW_UPDATE that causes a flow-control window to
    // exceed this maximum [2^31-1], it MUST terminate either the stream or the connection, as
    // appropriate. For streams, the sender sends a RST_STREAM with an error code of
    // FLOW_CONTROL_ERROR".
    @Test
    void windowUpdateOverflowingAStreamWindowIsAStreamFlowControlError() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=2000", true);
            c.send(H2Frames.windowUpdate(streamId, Integer.MAX_VALUE)); // 65,535 + 2^31-1
            c.expectRstStream(streamId, FLOW_CONTROL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §6.9.1, as above: "for the connection, a GOAWAY frame with an error code of
    // FLOW_CONTROL_ERROR is sent."
    @Test
    void windowUpdateOverflowingTheConnectionWindowIsAConnectionFlowControlError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.windowUpdate(0, Integer.MAX_VALUE - 65_535));       // exactly 2^31-1: allowed
            c.ping();
            c.send(H2Frames.windowUpdate(0, 1));
            c.expectGoAway(FLOW_CONTROL_ERROR);
        }
    }

    // RFC 9113 §6.9: "A WINDOW_UPDATE frame with a length other than 4 octets MUST be treated as a
    // connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."
    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {3, 5})
    void windowUpdateWithALengthOtherThanFourIsAConnectionFrameSizeError(int length) throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.frame(H2Frames.WINDOW_UPDATE, 0, 0, new byte[length]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.9, as above, on a stream: still a connection error.
    @Test
    void windowUpdateWithALengthOtherThanFourOnAStreamIsAConnectionFrameSizeError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=2000", true);
            c.send(H2Frames.frame(H2Frames.WINDOW_UPDATE, 0, streamId, new byte[] {0, 0, 1}));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.9: the reserved bit of the increment is ignored.
    @Test
    void reservedBitOfTheWindowIncrementIsIgnored() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 100)) {
            c.setAutoWindowUpdate(false);
            int streamId = c.request("GET", "/big?n=300", true);
            assertThat(c.readDataThenQuiet(streamId, 100, QUIET)).isEqualTo(100);
            c.send(H2Frames.windowUpdate(streamId, 0x8000_0000 | 200));
            assertThat(c.readResponse(streamId).body()).hasSize(200);
        }
    }

    // RFC 9113 §6.9.1: "A receiver MAY respond with a stream error (Section 5.4.2) or connection
    // error (Section 5.4.1) of type FLOW_CONTROL_ERROR if it is unable to accept a frame" — DATA
    // beyond the server's advertised stream window (786,432; /slow never reads, so no credit comes
    // back) is a stream error.
    @Test
    void dataBeyondTheServerStreamWindowIsAStreamFlowControlError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=3000", false);
            c.send(dataFrames(streamId, SERVER_STREAM_WINDOW + 1, 0));
            c.expectRstStream(streamId, FLOW_CONTROL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §6.9.1, as above, for the connection window (1 MiB): two streams that together
    // exceed it, each within its own window, are a connection error.
    @Test
    void dataBeyondTheServerConnectionWindowIsAConnectionFlowControlError() throws IOException {
        try (H2Connection c = server.connect()) {
            int first = c.request("POST", "/slow?ms=3000", false);
            int second = c.request("POST", "/slow?ms=3000", false);
            c.send(dataFrames(first, SERVER_STREAM_WINDOW, 0),
                    dataFrames(second, SERVER_CONNECTION_WINDOW - SERVER_STREAM_WINDOW + 1, 0));
            c.expectGoAway(FLOW_CONTROL_ERROR);
        }
    }

    // RFC 9113 §6.1: "The entire DATA frame payload is included in flow control, including the Pad
    // Length and Padding fields if present." Frames whose payloads fill the stream window although
    // their data does not, then one octet more, overflow it.
    @Test
    void paddingCountsAgainstTheStreamWindow() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=3000", false);
            // 48 payloads of 16,384 octets = 786,432, of which 48 * 256 are Pad Length + padding.
            c.send(dataFrames(streamId, SERVER_STREAM_WINDOW, 255));
            c.send(H2Frames.data(streamId, 0, new byte[1]));
            c.expectRstStream(streamId, FLOW_CONTROL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §6.9: a client may send WINDOW_UPDATE on a stream it has half-closed (its request
    // sent), to let the response through; credit for the connection and the stream adds up.
    @Test
    void windowUpdatesOnStreamAndConnectionAddUp() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 0)) {
            c.setAutoWindowUpdate(false);
            int streamId = c.request("GET", "/big?n=5000", true);
            for (int i = 0; i < 5; i++) {
                c.send(H2Frames.windowUpdate(streamId, 1000));
                assertThat(c.readDataThenQuiet(streamId, 1000, Duration.ofMillis(200))).isEqualTo(1000);
            }
        }
    }

    /**
     * DATA frames on {@code streamId} whose payloads total {@code payloadOctets}, each at most
     * 16,384 octets; with {@code padLength} > 0 each is PADDED with that much padding.
     */
    private static byte[] dataFrames(int streamId, int payloadOctets, int padLength) {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (int sent = 0; sent < payloadOctets; ) {
            int payload = Math.min(H2Frames.DEFAULT_MAX_FRAME_SIZE, payloadOctets - sent);
            if (padLength > 0 && payload > padLength) {
                frames.writeBytes(H2Frames.paddedData(streamId, 0, new byte[payload - 1 - padLength], padLength));
            } else {
                frames.writeBytes(H2Frames.frame(H2Frames.DATA, 0, streamId, new byte[payload]));
            }
            sent += payload;
        }
        return frames.toByteArray();
    }
}
