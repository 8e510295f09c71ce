package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
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

/** RFC 9113 §4.3 field section compression (field blocks) and §6.10 CONTINUATION. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2FieldBlockConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §4.3: a field block may be split over a HEADERS frame and any number of
    // CONTINUATION frames; the receiver decodes the concatenation. §6.2: END_STREAM on the
    // HEADERS frame holds although CONTINUATIONs follow.
    @Test
    void fieldBlockSplitOverHeadersAndSeveralContinuationsIsDecodedAsOne() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.newStreamId();
            byte[] block = c.requestBlock("GET", "/headers", "x-long", "v".repeat(300));
            c.send(H2Frames.headers(streamId, FLAG_END_STREAM, Arrays.copyOfRange(block, 0, 7)),
                    H2Frames.continuation(streamId, 0, Arrays.copyOfRange(block, 7, 20)),
                    H2Frames.continuation(streamId, 0, new byte[0]),
                    H2Frames.continuation(streamId, 0, Arrays.copyOfRange(block, 20, 100)),
                    H2Frames.continuation(streamId, FLAG_END_HEADERS, Arrays.copyOfRange(block, 100, block.length)));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("x-long: " + "v".repeat(300) + "\n");
        }
    }

    // RFC 9113 §4.3: a field block larger than one frame goes in HEADERS + CONTINUATION frames of
    // the maximum size.
    @Test
    void fieldBlockLargerThanOneFrameIsAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/headers").literalWithoutIndexing("x-a", "a".repeat(10_000))
                    .literalWithoutIndexing("x-b", "b".repeat(10_000)).bytes();
            int streamId = c.newStreamId();
            c.sendHeaders(streamId, block, true);
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).contains("x-a: " + "a".repeat(10_000) + "\n")
                    .contains("x-b: " + "b".repeat(10_000) + "\n");
        }
    }

    // RFC 9113 §6.10: "A CONTINUATION frame MUST be preceded by a HEADERS, PUSH_PROMISE or
    // CONTINUATION frame without the END_HEADERS flag set. A recipient that observes violation of
    // this rule MUST respond with a connection error of type PROTOCOL_ERROR." Here: on an open
    // stream whose HEADERS had END_HEADERS.
    @Test
    void continuationAfterEndHeadersIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=2000", false);
            c.send(H2Frames.continuation(streamId, FLAG_END_HEADERS, RawFieldBlock.create()
                    .literalWithoutIndexing("x-late", "1").bytes()));
            H2Frame goAway = c.expectGoAway(PROTOCOL_ERROR);
            assertThat(goAway.lastStreamId()).isEqualTo(streamId);
        }
    }

    // RFC 9113 §6.10, as above: right after a complete HEADERS with END_STREAM (h2spec 6.10/4).
    @Test
    void continuationAfterCompleteRequestIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.headers(1, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/slow").bytes()),
                    H2Frames.continuation(1, FLAG_END_HEADERS, RawFieldBlock.create()
                            .literalWithoutIndexing("x-late", "1").bytes()));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.10: a CONTINUATION with no field block open at all, on an idle stream.
    @Test
    void continuationOnAnIdleStreamIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.continuation(1, FLAG_END_HEADERS, RawFieldBlock.get("/").bytes()));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.10: "If a CONTINUATION frame is received with a Stream Identifier field of 0x00,
    // the recipient MUST respond with a connection error of type PROTOCOL_ERROR."
    @Test
    void continuationOnStreamZeroIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/").bytes();
            c.send(H2Frames.headers(1, FLAG_END_STREAM, Arrays.copyOfRange(block, 0, 3)),
                    H2Frames.continuation(0, FLAG_END_HEADERS, Arrays.copyOfRange(block, 3, block.length)));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §4.3: "Each field block is processed as a discrete unit. Field blocks MUST be
    // transmitted as a contiguous sequence of frames, with no interleaved frames of any other
    // type or from any other stream." ... "A receiver MUST treat the receipt of any other type of
    // frame or a frame on a different stream as a connection error of type PROTOCOL_ERROR."
    @Test
    void continuationOfAnotherStreamInsideAFieldBlockIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/").bytes();
            c.send(H2Frames.headers(1, FLAG_END_STREAM, Arrays.copyOfRange(block, 0, 3)),
                    H2Frames.continuation(3, FLAG_END_HEADERS, Arrays.copyOfRange(block, 3, block.length)));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §4.3 as above, for each frame type interleaved into an open field block; §5.5:
    // "Extension frames that appear in the middle of a field block (Section 4.3) are not
    // permitted; these MUST be treated as a connection error of type PROTOCOL_ERROR."
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PING", "DATA", "HEADERS on another stream", "PRIORITY", "SETTINGS", "WINDOW_UPDATE",
            "RST_STREAM", "unknown type"})
    void otherFrameInsideAFieldBlockIsAConnectionProtocolError(String interleaved) throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/").bytes();
            byte[] frame = switch (interleaved) {
                case "PING" -> H2Frames.ping(0, new byte[8]);
                case "DATA" -> H2Frames.data(1, 0, new byte[] {1});
                case "HEADERS on another stream" -> H2Frames.headers(3, FLAG_END_HEADERS | FLAG_END_STREAM,
                        RawFieldBlock.get("/").bytes());
                case "PRIORITY" -> H2Frames.priority(1, 0, false, 16);
                case "SETTINGS" -> H2Frames.settings();
                case "WINDOW_UPDATE" -> H2Frames.windowUpdate(0, 1000);
                case "RST_STREAM" -> H2Frames.rstStream(1, H2Frames.CANCEL);
                default -> H2Frames.frame(0x20, 0, 0, new byte[4]);
            };
            c.send(H2Frames.headers(1, 0, Arrays.copyOfRange(block, 0, 3)), frame,
                    H2Frames.continuation(1, FLAG_END_HEADERS, Arrays.copyOfRange(block, 3, block.length)));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §4.3, as above, for a frame after a CONTINUATION that did not end the block (h2spec 6.10/2).
    @Test
    void otherFrameAfterAContinuationInsideAFieldBlockIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/").bytes();
            c.send(H2Frames.headers(1, FLAG_END_STREAM, Arrays.copyOfRange(block, 0, 2)),
                    H2Frames.continuation(1, 0, Arrays.copyOfRange(block, 2, 4)),
                    H2Frames.data(1, 0, new byte[] {1}),
                    H2Frames.continuation(1, FLAG_END_HEADERS, Arrays.copyOfRange(block, 4, block.length)));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.10: a CONTINUATION after a CONTINUATION that had END_HEADERS has no open block
    // to continue (h2spec 6.10/5).
    @Test
    void continuationAfterAContinuationWithEndHeadersIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            byte[] block = RawFieldBlock.get("/slow").bytes();
            c.send(H2Frames.headers(1, FLAG_END_STREAM, Arrays.copyOfRange(block, 0, 2)),
                    H2Frames.continuation(1, FLAG_END_HEADERS, Arrays.copyOfRange(block, 2, block.length)),
                    H2Frames.continuation(1, FLAG_END_HEADERS, RawFieldBlock.create()
                            .literalWithoutIndexing("x-late", "1").bytes()));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.10: a CONTINUATION right after DATA has no field block to continue (h2spec 6.10/6).
    @Test
    void continuationAfterDataIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=2000", false);
            c.send(H2Frames.data(streamId, 0, new byte[] {1, 2, 3}),
                    H2Frames.continuation(streamId, FLAG_END_HEADERS, RawFieldBlock.create()
                            .literalWithoutIndexing("x-late", "1").bytes()));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }
}
