package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.CANCEL;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_ACK;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_PADDED;
import static dev.lanner.server.e2e.http2.H2Frames.FRAME_SIZE_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.GOAWAY;
import static dev.lanner.server.e2e.http2.H2Frames.PING;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9113 §6.1 DATA, §6.2 HEADERS, §6.3 PRIORITY with §5.3 (a stream cannot depend on itself),
 * §6.4 RST_STREAM and §6.7 PING.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2FrameDefinitionsConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §6.1: padding is removed; only the data reaches the application.
    @Test
    void paddedDataIsDeliveredWithoutItsPadding() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.paddedData(streamId, 0, "abc".getBytes(StandardCharsets.US_ASCII), 10),
                    H2Frames.paddedData(streamId, FLAG_END_STREAM, "def".getBytes(StandardCharsets.US_ASCII), 0));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("abcdef");
        }
    }

    // RFC 9113 §6.1: "If the length of the padding is the length of the frame payload or greater,
    // the recipient MUST treat this as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."
    @ParameterizedTest(name = "pad length {0} in a 5-octet payload")
    @ValueSource(ints = {5, 6, 255})
    void dataPaddingAsLongAsThePayloadIsAConnectionProtocolError(int padLength) throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.frame(H2Frames.DATA, FLAG_PADDED | FLAG_END_STREAM, streamId,
                    new byte[] {(byte) padLength, 'a', 'b', 'c', 'd'}));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.1: a PADDED DATA frame too short to hold the Pad Length octet is malformed too.
    @Test
    void paddedDataWithoutRoomForThePadLengthIsAnError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/echo", false);
            c.send(H2Frames.frame(H2Frames.DATA, FLAG_PADDED | FLAG_END_STREAM, streamId, new byte[0]));
            H2Frame goAway = c.expect(f -> f.is(GOAWAY), "GOAWAY", f -> f.is(H2Frames.RST_STREAM));
            assertThat(goAway.errorCode()).as("%s", goAway).isIn(PROTOCOL_ERROR, FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.2: padded HEADERS are accepted, the padding ignored.
    @Test
    void paddedHeadersAreAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.paddedHeaders(streamId, FLAG_END_HEADERS | FLAG_END_STREAM, c.requestBlock("GET", "/"), 20));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    // RFC 9113 §6.2: "Padding that exceeds the size remaining for the header block fragment MUST be
    // treated as a PROTOCOL_ERROR."
    @Test
    void headersPaddingLongerThanThePayloadIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/").bytes();
            byte[] payload = new byte[1 + block.length];
            payload[0] = (byte) (block.length + 1);
            System.arraycopy(block, 0, payload, 1, block.length);
            c.send(H2Frames.frame(H2Frames.HEADERS, FLAG_PADDED | FLAG_END_HEADERS | FLAG_END_STREAM, 1, payload));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.2: the PRIORITY flag adds exclusive/dependency/weight fields, which are parsed
    // (and, §5.3.2, may be ignored).
    @Test
    void headersWithThePriorityFlagAreAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            c.send(H2Frames.headersWithPriority(streamId, FLAG_END_HEADERS | FLAG_END_STREAM, 0, true, 200,
                    c.requestBlock("GET", "/")));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    // RFC 9113 §5.3.1: "A stream cannot depend on itself. An endpoint MUST treat this as a stream
    // error (Section 5.4.2) of type PROTOCOL_ERROR." Here through the HEADERS PRIORITY flag.
    @Test
    void headersDependingOnTheirOwnStreamAreAStreamProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.headersWithPriority(1, FLAG_END_HEADERS | FLAG_END_STREAM, 1, false, 16,
                    RawFieldBlock.get("/").bytes()));
            c.expectRstStream(1, PROTOCOL_ERROR);
            c.skipStreamIdsUpTo(1);
            c.assertServes();
        }
    }

    // RFC 9113 §5.3.1, as above, through a PRIORITY frame on an open stream.
    @Test
    void priorityDependingOnItsOwnStreamIsAStreamProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=2000", false);
            c.send(H2Frames.priority(streamId, streamId, false, 16));
            c.expectRstStream(streamId, PROTOCOL_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §6.3: "A PRIORITY frame with a length other than 5 octets MUST be treated as a stream
    // error (Section 5.4.2) of type FRAME_SIZE_ERROR."
    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {4, 6})
    void priorityWithALengthOtherThanFiveIsAStreamFrameSizeError(int length) throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=2000", false);
            c.send(H2Frames.frame(H2Frames.PRIORITY, 0, streamId, new byte[length]));
            c.expectRstStream(streamId, FRAME_SIZE_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §6.3: PRIORITY "can be sent in any stream state", including after the stream
    // closed; it changes nothing the client can see.
    @Test
    void priorityOnOpenAndClosedStreamsIsAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            int open = c.request("GET", "/slow?ms=300", true);
            c.send(H2Frames.priority(open, 0, true, 256));
            assertThat(c.readResponse(open).status()).isEqualTo(200);
            c.send(H2Frames.priority(open, 0, false, 1));
            c.assertServes();
        }
    }

    // RFC 9113 §6.4: "A RST_STREAM frame with a length other than 4 octets MUST be treated as a
    // connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."
    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {3, 5})
    void rstStreamWithALengthOtherThanFourIsAConnectionFrameSizeError(int length) throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=2000", true);
            c.send(H2Frames.frame(H2Frames.RST_STREAM, 0, streamId, new byte[length]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.4: RST_STREAM ends the stream; the server sends nothing more on it and the
    // connection stays usable. Unknown error codes are allowed (§7: "Unknown or unsupported error
    // codes MUST NOT trigger any special behavior").
    @Test
    void rstStreamWithAnUnknownErrorCodeEndsOnlyThatStream() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=500", true);
            c.send(H2Frames.rstStream(streamId, 0x1234));
            List<H2Frame> frames = c.drain(Duration.ofMillis(1000));
            assertThat(frames).noneMatch(f -> f.streamId() == streamId && (f.is(H2Frames.HEADERS) || f.is(H2Frames.DATA)))
                    .noneMatch(f -> f.is(GOAWAY));
            c.assertServes();
        }
    }

    // RFC 9113 §6.7: "Receivers of a PING frame that does not include an ACK flag MUST send a PING
    // frame with the ACK flag set in response, with an identical frame payload."
    @Test
    void pingIsAnsweredWithAnAckCarryingTheSamePayload() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] opaque = "lanner!!".getBytes(StandardCharsets.US_ASCII);
            c.send(H2Frames.ping(0, opaque));
            H2Frame pong = c.expect(f -> f.is(PING), "PING ACK", f -> f.is(GOAWAY));
            assertThat(pong.flags()).isEqualTo(FLAG_ACK);
            assertThat(pong.streamId()).isZero();
            assertThat(pong.payload()).isEqualTo(opaque);
        }
    }

    // RFC 9113 §6.7: "An endpoint MUST NOT respond to PING frames containing this flag [ACK]."
    @Test
    void pingAckIsNotAnswered() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] unsolicited = "unsolic.".getBytes(StandardCharsets.US_ASCII);
            byte[] probe = "probe!!!".getBytes(StandardCharsets.US_ASCII);
            c.send(H2Frames.ping(FLAG_ACK, unsolicited), H2Frames.ping(0, probe));
            H2Frame pong = c.expect(f -> f.is(PING), "PING ACK", f -> f.is(GOAWAY));
            assertThat(pong.payload()).as("the first PING the server sends answers the probe").isEqualTo(probe);
            assertThat(c.drain(Duration.ofMillis(300))).noneMatch(f -> f.is(PING));
        }
    }

    // RFC 9113 §6.7: "Receipt of a PING frame with a length field value other than 8 MUST be treated
    // as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."
    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 7, 9})
    void pingWithALengthOtherThanEightIsAConnectionFrameSizeError(int length) throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.ping(0, new byte[length]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.7, as above, for a PING ACK of the wrong length.
    @Test
    void pingAckWithALengthOtherThanEightIsAConnectionFrameSizeError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.ping(FLAG_ACK, new byte[4]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.4, §8.7: a client cancels a running request with RST_STREAM(CANCEL); only that
    // stream ends.
    @Test
    void clientCancelOfARunningRequestKeepsTheConnection() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=1000", true);
            c.send(H2Frames.rstStream(streamId, CANCEL));
            c.assertServes();
        }
    }
}
