package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.FRAME_SIZE_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.GOAWAY;
import static dev.lanner.server.e2e.http2.H2Frames.HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.NO_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RFC 9113 §6.8 GOAWAY and §5.4.1 connection error handling, including graceful shutdown. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2GoAwayConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §5.4.1: "An endpoint that encounters a connection error SHOULD first send a GOAWAY
    // frame with the stream identifier of the last stream that it successfully received from its
    // peer"; §6.8: the last-stream-id is "the highest-numbered stream identifier for which the
    // sender of the GOAWAY frame might have taken some action on or might yet take action on".
    @Test
    void connectionErrorGoAwayNamesTheLastStreamProcessed() throws IOException {
        try (H2Connection c = server.connect()) {
            c.assertServes(); // 1
            c.assertServes(); // 3
            c.send(H2Frames.ping(0, new byte[3]));
            H2Frame goAway = c.expectGoAway(FRAME_SIZE_ERROR);
            assertThat(goAway.lastStreamId()).isEqualTo(3);
            assertThat(goAway.streamId()).isZero();
        }
    }

    // RFC 9113 §6.8: "The GOAWAY frame applies to the connection, not a specific stream. An endpoint
    // MUST treat a GOAWAY frame with a stream identifier other than 0x00 as a connection error
    // (Section 5.4.1) of type PROTOCOL_ERROR."
    @Test
    void goAwayOnAStreamIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.assertServes();
            c.send(H2Frames.frame(GOAWAY, 0, 1, new byte[8]));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §4.2: a frame too small to contain its mandatory fields (GOAWAY needs 8 octets) is
    // a FRAME_SIZE_ERROR, a connection error for a frame on stream 0.
    @Test
    void goAwayShorterThanEightOctetsIsAConnectionFrameSizeError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.frame(GOAWAY, 0, 0, new byte[7]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.8: a GOAWAY from the client says which server-initiated streams it will process
    // (none: the server does not push); the client's own open streams are unaffected, and the
    // server sends no error. "Endpoints SHOULD always send a GOAWAY frame before closing a
    // connection" — if the server then closes, any GOAWAY it sends carries NO_ERROR.
    @Test
    void clientGoAwayIsAcceptedAndItsOpenStreamsComplete() throws IOException {
        try (H2Connection c = server.connect()) {
            int streamId = c.request("GET", "/slow?ms=500", true);
            c.send(H2Frames.goAway(0, NO_ERROR, "client done"));
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("slow");
            List<H2Frame> after = c.drain(Duration.ofMillis(500));
            assertThat(after).filteredOn(f -> f.is(GOAWAY)).allMatch(f -> f.errorCode() == NO_ERROR);
        }
    }

    // RFC 9113 §6.8 graceful shutdown: the server sends GOAWAY NO_ERROR whose last-stream-id covers
    // the request in progress, lets that stream complete normally, then closes. "Activity on streams
    // numbered lower than or equal to the last stream identifier might still complete successfully."
    // Streams the client opens afterwards, above the last-stream-id, are not processed.
    @Test
    void gracefulStopSendsGoAwayNoErrorAndLetsTheRunningStreamComplete() throws Exception {
        H2TestServer.assumeApplicationMayWait();
        try (H2TestServer stopping = H2TestServer.start(); H2Connection c = stopping.connect()) {
            int streamId = c.request("GET", "/slow?ms=1500", true);
            assertThat(stopping.application().events().poll(5, TimeUnit.SECONDS)).isEqualTo("slow started");
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    stopping.stop(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            H2Frame goAway = c.expect(f -> f.is(GOAWAY), "GOAWAY NO_ERROR", f -> f.is(H2Frames.RST_STREAM));
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(NO_ERROR);
            assertThat(goAway.lastStreamId()).isGreaterThanOrEqualTo(streamId);

            // A stream above the last-stream-id is not processed (it may be ignored or refused).
            int late = c.newStreamId();
            c.send(H2Frames.headers(late, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));

            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("slow");
            assertThat(response.resetCode()).isEqualTo(-1);

            List<H2Frame> rest = c.drain(Duration.ofSeconds(3));
            for (H2Frame frame : rest) {
                if (frame.is(GOAWAY)) {
                    // §6.8: a second GOAWAY may lower the last-stream-id, never raise it, and not below the running stream.
                    assertThat(frame.errorCode()).isEqualTo(NO_ERROR);
                    assertThat(frame.lastStreamId()).isBetween(streamId, goAway.lastStreamId());
                }
                if (goAway.lastStreamId() < late) {
                    assertThat(frame.streamId() == late && frame.is(HEADERS)).as("response to %s", frame).isFalse();
                }
            }
            assertThat(c.closesWithin(Duration.ofSeconds(5))).as("connection closed after the last stream").isTrue();
            stopper.join(Duration.ofSeconds(15));
        }
    }

    // RFC 9113 §6.8: a server stopping with no request in flight sends GOAWAY NO_ERROR and closes.
    @Test
    void gracefulStopOfAnIdleConnectionSendsGoAwayAndCloses() throws Exception {
        try (H2TestServer stopping = H2TestServer.start(); H2Connection c = stopping.connect()) {
            c.assertServes();
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    stopping.stop(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            H2Frame goAway = c.expect(f -> f.is(GOAWAY), "GOAWAY NO_ERROR", f -> f.is(H2Frames.RST_STREAM));
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(NO_ERROR);
            assertThat(goAway.lastStreamId()).isLessThanOrEqualTo(1);
            c.expectClosed();
            stopper.join(Duration.ofSeconds(10));
        }
    }
}
