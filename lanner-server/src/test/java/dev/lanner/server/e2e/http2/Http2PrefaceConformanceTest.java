package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.GOAWAY;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS;
import static dev.lanner.server.e2e.http2.H2Frames.WINDOW_UPDATE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RFC 9113 §3.4: the connection preface of both ends, and what the server does with a bad one. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2PrefaceConformanceTest {

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §3.4: the server preface is a SETTINGS frame, which must be the first frame it sends.
    // §6.5.2 / §6.9.2: the server advertises its limits, and grows the connection window to 1 MiB.
    @Test
    void serverPrefaceIsSettingsWithItsLimitsThenAConnectionWindowUpdate() throws IOException {
        try (H2Connection c = server.open()) {
            c.send(H2Frames.concat(H2Frames.CLIENT_PREFACE, H2Frames.settings()));
            H2Frame settings = c.readFrame();
            assertThat(settings.type()).as("first frame: %s", settings).isEqualTo(SETTINGS);
            assertThat(settings.ack()).isFalse();
            assertThat(settings.streamId()).isZero();
            assertThat(settings.settings())
                    .containsEntry(H2Frames.SETTINGS_MAX_CONCURRENT_STREAMS, 100L)
                    .containsEntry(H2Frames.SETTINGS_INITIAL_WINDOW_SIZE, 786_432L)
                    .containsEntry(H2Frames.SETTINGS_MAX_HEADER_LIST_SIZE, 32_768L)
                    // Defaults are not repeated: HEADER_TABLE_SIZE 4096, MAX_FRAME_SIZE 16384.
                    .doesNotContainKeys(H2Frames.SETTINGS_HEADER_TABLE_SIZE, H2Frames.SETTINGS_MAX_FRAME_SIZE);
            // §6.5.2: a server MUST NOT send ENABLE_PUSH with a value other than 0.
            assertThat(settings.settings().getOrDefault(H2Frames.SETTINGS_ENABLE_PUSH, 0L)).isZero();

            H2Frame windowUpdate = c.readFrame();
            assertThat(windowUpdate.type()).as("second frame: %s", windowUpdate).isEqualTo(WINDOW_UPDATE);
            assertThat(windowUpdate.streamId()).isZero();
            assertThat(windowUpdate.windowIncrement()).isEqualTo(983_041); // 65,535 + 983,041 = 1 MiB
        }
    }

    // RFC 9113 §3.4: "The SETTINGS frames received from a peer as part of the connection preface
    // MUST be acknowledged (see Section 6.5.3) after sending the connection preface."
    @Test
    void clientSettingsInThePrefaceAreAcknowledged() throws IOException {
        try (H2Connection c = server.open()) {
            c.send(H2Frames.concat(H2Frames.CLIENT_PREFACE,
                    H2Frames.settings(H2Frames.SETTINGS_INITIAL_WINDOW_SIZE, 100_000,
                            H2Frames.SETTINGS_MAX_CONCURRENT_STREAMS, 10)));
            H2Frame ack = c.expect(f -> f.is(SETTINGS) && f.ack(), "SETTINGS ACK", f -> f.is(GOAWAY));
            assertThat(ack.payload()).isEmpty();
            assertThat(ack.streamId()).isZero();
            c.assertServes();
        }
    }

    // RFC 9113 §3.4: "Clients and servers MUST treat an invalid connection preface as a connection
    // error (Section 5.4.1) of type PROTOCOL_ERROR."
    @Test
    void invalidPrefaceIsAConnectionProtocolError() throws IOException {
        assertRejectedPreface("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    // RFC 9113 §3.3: an h2c prior-knowledge endpoint speaks HTTP/2 only; an HTTP/1.1 request is
    // an invalid preface (§3.4).
    @Test
    void http1RequestOnAnHttp2OnlyEndpointIsAnInvalidPreface() throws IOException {
        assertRejectedPreface("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
    }

    // RFC 9113 §3.4: a preface cut short and then end of stream: the server closes the connection.
    @Test
    void truncatedPrefaceThenEndOfStreamClosesTheConnection() throws IOException {
        try (H2Connection c = server.open()) {
            c.send("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
            c.shutdownOutput();
            assertClosedWithAtMostGoAwayProtocolError(c);
        }
    }

    // RFC 9113 §3.4: "That is, the connection preface ... MUST be followed by a SETTINGS frame";
    // anything else is an invalid preface, a connection error of type PROTOCOL_ERROR.
    @Test
    void firstFrameOtherThanSettingsIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.open()) {
            c.send(H2Frames.concat(H2Frames.CLIENT_PREFACE, H2Frames.ping(0, new byte[8])));
            H2Frame goAway = c.expectGoAway(PROTOCOL_ERROR);
            assertThat(goAway.lastStreamId()).isZero();
        }
    }

    // RFC 9113 §3.4: a request before the client's SETTINGS frame is an invalid preface too.
    @Test
    void firstFrameHeadersIsAConnectionProtocolError() throws IOException {
        try (H2Connection c = server.open()) {
            c.send(H2Frames.concat(H2Frames.CLIENT_PREFACE,
                    H2Frames.headers(1, H2Frames.FLAG_END_HEADERS | H2Frames.FLAG_END_STREAM,
                            RawFieldBlock.get("/").bytes())));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    private static void assertRejectedPreface(byte[] preface) throws IOException {
        try (H2Connection c = server.open()) {
            c.send(preface);
            assertClosedWithAtMostGoAwayProtocolError(c);
        }
    }

    /**
     * The server may have sent its own preface before it read ours; after that, the only frame
     * allowed is GOAWAY PROTOCOL_ERROR, and then the connection must close.
     */
    private static void assertClosedWithAtMostGoAwayProtocolError(H2Connection c) throws IOException {
        List<H2Frame> frames = new ArrayList<>();
        try {
            while (true) {
                frames.add(c.readFrame());
            }
        } catch (EOFException | SocketException closed) {
            // expected
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open after an invalid preface; frames: " + frames);
        }
        for (H2Frame frame : frames) {
            if (frame.is(GOAWAY)) {
                assertThat(frame.errorCode()).as("%s", frame).isEqualTo(PROTOCOL_ERROR);
            } else {
                assertThat(frame.type()).as("only the server preface may precede the GOAWAY: %s", frames)
                        .isIn(SETTINGS, WINDOW_UPDATE);
            }
        }
    }
}
