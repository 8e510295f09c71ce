package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.CANCEL;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.STREAM_CLOSED;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 9113 §5.1 stream states, §5.1.1 stream identifiers, §5.4 error handling, §8.4 (a client
 * cannot push), and the frames that need a stream (§6.1–6.4, §6.10) or must not have one
 * (§6.5, §6.7, §6.8).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2StreamStatesConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §5.1 idle: "Receiving any frame other than HEADERS or PRIORITY on a stream in this
    // state MUST be treated as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."
    // §6.4: RST_STREAM on an idle stream, likewise.
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DATA", "RST_STREAM", "WINDOW_UPDATE"})
    void frameOtherThanHeadersOrPriorityOnAnIdleStreamIsAConnectionProtocolError(String type) throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(switch (type) {
                case "DATA" -> H2Frames.data(1, FLAG_END_STREAM, new byte[] {1});
                case "RST_STREAM" -> H2Frames.rstStream(1, CANCEL);
                default -> H2Frames.windowUpdate(1, 1000);
            });
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §5.1 idle, as above, on an idle stream above one already in use.
    @Test
    void dataOnAnIdleStreamAboveAnOpenOneIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.assertServes(); // stream 1
            c.send(H2Frames.data(5, FLAG_END_STREAM, new byte[] {1}));
            H2Frame goAway = c.expectGoAway(PROTOCOL_ERROR);
            assertThat(goAway.lastStreamId()).isEqualTo(1);
        }
    }

    // RFC 9113 §5.1 half-closed (remote): "If an endpoint receives additional frames, other than
    // WINDOW_UPDATE, PRIORITY, or RST_STREAM, for a stream that is in this state, it MUST respond
    // with a stream error (Section 5.4.2) of type STREAM_CLOSED." The connection goes on (§5.4.2).
    @Test
    void dataOnAHalfClosedRemoteStreamIsAStreamClosedStreamError() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=1000", true);
            c.send(H2Frames.data(streamId, 0, new byte[] {1, 2, 3}));
            c.expectRstStream(streamId, STREAM_CLOSED);
            c.assertServes();
        }
    }

    // RFC 9113 §5.1 half-closed (remote), as above, for HEADERS.
    @Test
    void headersOnAHalfClosedRemoteStreamIsAStreamClosedStreamError() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=1000", true);
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM,
                    RawFieldBlock.create().literalWithoutIndexing("x-trailer", "1").bytes()));
            c.expectRstStream(streamId, STREAM_CLOSED);
            c.assertServes();
        }
    }

    // RFC 9113 §5.1 half-closed (remote): WINDOW_UPDATE, PRIORITY and RST_STREAM are allowed;
    // RST_STREAM ends the stream without any error from the server.
    @Test
    void windowUpdatePriorityAndRstStreamAreAllowedOnAHalfClosedRemoteStream() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=500", true);
            c.send(H2Frames.windowUpdate(streamId, 1000), H2Frames.priority(streamId, 0, false, 100));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            int second = c.request("GET", "/slow?ms=2000", true);
            c.send(H2Frames.rstStream(second, CANCEL));
            c.ping();
            c.assertServes();
        }
    }

    // RFC 9113 §5.1 closed: "An endpoint that sends a frame with the END_STREAM flag set or a
    // RST_STREAM frame might receive a WINDOW_UPDATE or RST_STREAM frame from its peer in the time
    // before the peer receives and processes the frame that closes the stream" (to be ignored);
    // "Endpoints MUST ignore WINDOW_UPDATE or RST_STREAM frames received in this state"; PRIORITY
    // may be sent on closed streams.
    @Test
    void rstStreamWindowUpdateAndPriorityOnAClosedStreamAreIgnored() throws IOException {
        try (H2Connection c = server.connect()) {
            c.assertServes(); // stream 1, now closed
            c.send(H2Frames.rstStream(1, CANCEL), H2Frames.windowUpdate(1, 1000), H2Frames.priority(1, 0, false, 16));
            c.ping();
            c.assertServes();
        }
    }

    // RFC 9113 §8.1: "A server can send a complete response prior to the client sending an entire
    // request"; it may then reset the stream with NO_ERROR, and "Clients MUST NOT discard responses as
    // a result". The stream is half-closed (local) at the server, or reset by it: either way the rest
    // of the request body is no error.
    @Test
    void requestBodyAfterAnEarlyCompleteResponseIsNoError() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/", false);
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
            c.send(H2Frames.data(streamId, FLAG_END_STREAM, new byte[] {1, 2, 3}), H2Frames.ping(0, new byte[8]));
            c.expect(f -> f.is(H2Frames.PING) && f.ack(), "PING ACK", f -> f.is(H2Frames.GOAWAY)
                    || f.is(H2Frames.RST_STREAM) && f.errorCode() != H2Frames.NO_ERROR);
            c.assertServes();
        }
    }

    // RFC 9113 §5.1 closed: "An endpoint MAY treat receipt of any other type of frame on a closed
    // stream as a connection error (Section 5.4.1) of type STREAM_CLOSED"; §6.1: DATA on a stream
    // that is not open or half-closed (local) is STREAM_CLOSED. The server's choice: connection error.
    // Repeated: the client sends right after reading END_STREAM, which races with the server's own
    // bookkeeping of the stream it has just finished; the stream is closed from then on all the same.
    @Test
    void dataOnAStreamClosedNormallyIsAConnectionStreamClosedError() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (H2Connection c = server.connect()) {
                c.assertServes(); // stream 1
                c.send(H2Frames.data(1, FLAG_END_STREAM, new byte[] {1}));
                H2Frame goAway = c.expectGoAway(STREAM_CLOSED);
                assertThat(goAway.lastStreamId()).isEqualTo(1);
            }
        }
    }

    // RFC 9113 §5.1 closed, as above, for HEADERS on a finished stream (an identifier reused, §5.1.1).
    @Test
    void headersOnAStreamClosedNormallyIsAConnectionStreamClosedError() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (H2Connection c = server.connect()) {
                c.assertServes(); // stream 1
                c.send(H2Frames.headers(1, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
                c.expectGoAway(STREAM_CLOSED);
            }
        }
    }

    // RFC 9113 §5.1 closed: "An endpoint that receives any frame other than PRIORITY after
    // receiving a RST_STREAM MUST treat that as a stream error (Section 5.4.2) of type
    // STREAM_CLOSED"; §5.4: an endpoint MAY treat a stream error as a connection error, which is
    // the server's choice.
    @Test
    void dataAfterTheClientResetTheStreamIsAStreamClosedError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=2000", false);
            c.send(H2Frames.rstStream(streamId, CANCEL));
            c.send(H2Frames.data(streamId, FLAG_END_STREAM, new byte[] {1}));
            c.expectGoAway(STREAM_CLOSED);
        }
    }

    // RFC 9113 §5.1 closed, as above, for HEADERS after the client's RST_STREAM (h2spec 5.1/10).
    @Test
    void headersAfterTheClientResetTheStreamIsAStreamClosedError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/slow?ms=2000", false);
            c.send(H2Frames.rstStream(streamId, CANCEL));
            c.send(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM,
                    RawFieldBlock.create().literalWithoutIndexing("x-trailer", "1").bytes()));
            c.expectGoAway(STREAM_CLOSED);
        }
    }

    // RFC 9113 §5.4.2: "the sender of the RST_STREAM ... might receive frames on the stream after
    // sending RST_STREAM" which it must ignore; §5.1 closed: after sending RST_STREAM, frames
    // "that arrive after RST_STREAM is sent" are ignored.
    @Test
    void framesOnAStreamTheServerResetAreIgnored() throws IOException {
        H2TestServer.assumeApplicationStartsBeforeTheBodyEnds();
        try (H2Connection c = server.connect()) {
            int streamId = c.request("POST", "/reset", false);
            c.expectRstStream(streamId, CANCEL);
            c.send(H2Frames.data(streamId, 0, new byte[100]),
                    H2Frames.windowUpdate(streamId, 100),
                    H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM,
                            RawFieldBlock.create().literalWithoutIndexing("x-trailer", "1").bytes()));
            c.ping();
            c.assertServes();
        }
    }

    // RFC 9113 §6.9: "A receiver that receives a flow-controlled frame MUST always account for its
    // contribution against the connection flow-control window, unless the receiver treats this as a
    // connection error" — so DATA discarded on a stream the server reset still earns connection
    // credit back; else a client that honours the windows stalls. Two reset streams take 1.2 MB,
    // more than the 1 MiB connection window.
    @Test
    void dataOnStreamsTheServerResetStillCountsAndIsCreditedToTheConnectionWindow() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect()) {
            for (int i = 0; i < 2; i++) {
                int streamId = c.request("POST", "/reset", false);
                c.expectRstStream(streamId, CANCEL);
                c.sendData(streamId, new byte[600_000], false);
            }
            byte[] body = "after".getBytes();
            H2Response response = c.post("/echo", body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    // RFC 9113 §5.1.1: "Streams initiated by a client MUST use odd-numbered stream identifiers";
    // "An endpoint that receives an unexpected stream identifier MUST respond with a connection
    // error (Section 5.4.1) of type PROTOCOL_ERROR."
    @Test
    void headersOnAnEvenStreamIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.headers(2, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §5.1.1: "The identifier of a newly established stream MUST be numerically greater
    // than all streams that the initiating endpoint has opened or reserved"; an unexpected stream
    // identifier is a connection error of type PROTOCOL_ERROR. §6.8: the GOAWAY's last-stream-id is
    // the highest stream the server processed.
    @Test
    void headersOnANeverOpenedStreamBelowAnOpenedOneIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.headers(5, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            assertThat(c.readResponse(5).status()).isEqualTo(200);
            c.send(H2Frames.headers(3, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            H2Frame goAway = c.expectGoAway(PROTOCOL_ERROR);
            assertThat(goAway.lastStreamId()).isEqualTo(5);
        }
    }

    // RFC 9113 §5.1.1: stream identifiers need not be consecutive; skipping some is allowed (the
    // skipped ones become closed).
    @Test
    void streamIdentifiersMayBeSkipped() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.headers(7, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            assertThat(c.readResponse(7).status()).isEqualTo(200);
            c.send(H2Frames.headers(101, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            assertThat(c.readResponse(101).status()).isEqualTo(200);
        }
    }

    // RFC 9113 §5.1 idle: PRIORITY is allowed on an idle stream; it does not open it (§5.1.1: only
    // a new stream's first use closes lower idle streams), so lower and equal ids stay usable.
    @Test
    void priorityOnAnIdleStreamIsAcceptedAndDoesNotOpenIt() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.priority(5, 0, false, 16));
            c.send(H2Frames.headers(3, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            assertThat(c.readResponse(3).status()).isEqualTo(200);
            c.send(H2Frames.headers(5, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            assertThat(c.readResponse(5).status()).isEqualTo(200);
        }
    }

    // RFC 9113 §8.4: "A client cannot push. Thus, servers MUST treat the receipt of a PUSH_PROMISE
    // frame as a connection error (Section 5.4.1) of type PROTOCOL_ERROR."
    @Test
    void pushPromiseFromTheClientIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=1000", true);
            c.send(H2Frames.pushPromise(streamId, 2, RawFieldBlock.get("/pushed").bytes()));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.1 DATA, §6.2 HEADERS, §6.3 PRIORITY, §6.4 RST_STREAM, §6.10 CONTINUATION: "If a
    // ... frame is received whose Stream Identifier field is 0x00, the recipient MUST respond with a
    // connection error (Section 5.4.1) of type PROTOCOL_ERROR."
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "CONTINUATION"})
    void frameThatNeedsAStreamOnStreamZeroIsAConnectionProtocolError(String type) throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(switch (type) {
                case "DATA" -> H2Frames.data(0, 0, new byte[] {1});
                case "HEADERS" -> H2Frames.headers(0, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes());
                case "PRIORITY" -> H2Frames.priority(0, 1, false, 16);
                case "RST_STREAM" -> H2Frames.rstStream(0, CANCEL);
                default -> H2Frames.continuation(0, FLAG_END_HEADERS, RawFieldBlock.get("/").bytes());
            });
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.5 SETTINGS, §6.7 PING, §6.8 GOAWAY: "If an endpoint receives a ... frame whose
    // Stream Identifier field is anything other than 0x00, the endpoint MUST respond with a
    // connection error (Section 5.4.1) of type PROTOCOL_ERROR."
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SETTINGS", "PING", "GOAWAY"})
    void connectionFrameOnAStreamIsAConnectionProtocolError(String type) throws IOException {
        try (H2Connection c = server.connect()) {
            c.assertServes(); // stream 1 exists, so the frame is not rejected for its idle stream
            c.send(switch (type) {
                case "SETTINGS" -> H2Frames.frame(H2Frames.SETTINGS, 0, 1, new byte[0]);
                case "PING" -> H2Frames.frame(H2Frames.PING, 0, 1, new byte[8]);
                default -> H2Frames.frame(H2Frames.GOAWAY, 0, 1, new byte[8]);
            });
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }
}
