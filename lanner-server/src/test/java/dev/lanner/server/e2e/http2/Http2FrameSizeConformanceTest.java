package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.FRAME_SIZE_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.GOAWAY;
import static dev.lanner.server.e2e.http2.H2Frames.PING;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9113 §4.1 frame format (unknown types and flags, reserved bit) and §4.2 frame size. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2FrameSizeConformanceTest {

    private static final int TOO_LARGE = H2Frames.DEFAULT_MAX_FRAME_SIZE + 1;

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §4.1, §5.5: "Implementations MUST ignore and discard frames of unknown types."
    @Test
    void unknownFrameTypeIsIgnored() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.frame(0xFF, 0xFF, 0, new byte[] {1, 2, 3}));
            c.ping();
            c.assertServes();
        }
    }

    // RFC 9113 §5.5: an unknown frame type on an idle stream is ignored too; it neither opens
    // the stream nor is the "frame other than HEADERS or PRIORITY" of §5.1.
    @Test
    void unknownFrameTypeOnAnIdleStreamIsIgnored() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.frame(0x20, 0, 1, new byte[] {1, 2, 3}));
            c.assertServes();
        }
    }

    // RFC 9113 §4.1: "Flags that have no defined semantics for a particular frame type MUST be
    // ignored and MUST be left unset (0x00) when sending."
    @Test
    void unknownFlagsOnPingAreIgnoredAndNotEchoed() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] opaque = {1, 2, 3, 4, 5, 6, 7, 8};
            c.send(H2Frames.ping(0xFE, opaque)); // every flag but ACK
            H2Frame pong = c.expect(f -> f.is(PING), "PING ACK", f -> f.is(GOAWAY));
            assertThat(pong.flags()).isEqualTo(H2Frames.FLAG_ACK);
            assertThat(pong.payload()).isEqualTo(opaque);
        }
    }

    // RFC 9113 §4.1: unknown flags on HEADERS (0x2, 0x10, 0x40, 0x80) are ignored.
    @Test
    void unknownFlagsOnHeadersAreIgnored() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM | 0x2 | 0x10 | 0x40 | 0x80,
                    c.requestBlock("GET", "/")));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    // RFC 9113 §4.1: the reserved bit of the stream identifier "MUST remain unset (0x0) when sending
    // and MUST be ignored when receiving."
    @Test
    void reservedBitOfTheStreamIdentifierIsIgnored() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.headers(streamId | 0x8000_0000, FLAG_END_HEADERS | FLAG_END_STREAM,
                    c.requestBlock("GET", "/")));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    // RFC 9113 §4.2: a frame of exactly SETTINGS_MAX_FRAME_SIZE (16,384) octets is accepted.
    @Test
    void dataFrameOfExactlyMaxFrameSizeIsAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] body = new byte[H2Frames.DEFAULT_MAX_FRAME_SIZE];
            Arrays.fill(body, (byte) 'x');
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.data(streamId, FLAG_END_STREAM, body));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    // RFC 9113 §4.2: "An endpoint MUST send an error code of FRAME_SIZE_ERROR if a frame exceeds the
    // size defined in SETTINGS_MAX_FRAME_SIZE". The server treats it as a connection error for
    // every type (which §4.2 requires for frames carrying field blocks, SETTINGS and stream 0).
    @Test
    void dataFrameLargerThanMaxFrameSizeIsAFrameSizeError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.data(streamId, FLAG_END_STREAM, new byte[TOO_LARGE]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §4.2: "A frame size error in a frame that could alter the state of the entire
    // connection MUST be treated as a connection error; this includes any frame carrying a field block".
    @Test
    void headersFrameLargerThanMaxFrameSizeIsAConnectionFrameSizeError() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/").literalWithoutIndexing("x-padding", "p".repeat(TOO_LARGE)).bytes();
            c.send(H2Frames.headers(1, FLAG_END_HEADERS | FLAG_END_STREAM, block));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §4.2, as above, for CONTINUATION.
    @Test
    void continuationFrameLargerThanMaxFrameSizeIsAConnectionFrameSizeError() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/").literalWithoutIndexing("x-padding", "p".repeat(TOO_LARGE)).bytes();
            c.send(H2Frames.headers(1, FLAG_END_STREAM, Arrays.copyOfRange(block, 0, 10)),
                    H2Frames.continuation(1, FLAG_END_HEADERS, Arrays.copyOfRange(block, 10, block.length)));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §4.2: an oversized frame on stream 0 or carrying connection state is a connection
    // error, whatever its type (SETTINGS, PING, WINDOW_UPDATE, an unknown type, PRIORITY,
    // RST_STREAM).
    @ParameterizedTest(name = "type 0x{0}")
    @ValueSource(ints = {H2Frames.SETTINGS, H2Frames.PING, H2Frames.WINDOW_UPDATE, 0x20, H2Frames.PRIORITY,
            H2Frames.RST_STREAM})
    void anyFrameLargerThanMaxFrameSizeIsAConnectionFrameSizeError(int type) throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = type == H2Frames.PRIORITY || type == H2Frames.RST_STREAM ? 1 : 0;
            if (streamId != 0) {
                c.request("GET", "/slow?ms=200", true);
            }
            c.send(H2Frames.frame(type, 0, streamId, new byte[TOO_LARGE]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }
}
