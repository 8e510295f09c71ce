package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.CANCEL;
import static dev.lanner.server.e2e.http2.H2Frames.ENHANCE_YOUR_CALM;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_HEADERS;
import static dev.lanner.server.e2e.http2.H2Frames.FLAG_END_STREAM;
import static dev.lanner.server.e2e.http2.H2Frames.FRAME_SIZE_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.GOAWAY;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS_INITIAL_WINDOW_SIZE;
import static dev.lanner.server.e2e.http2.H2Frames.STREAM_CLOSED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.MinDataRate;
import dev.lanner.server.ServerLimits;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Defences against resource-exhaustion attacks on HTTP/2 (RFC 9113 §10.5 "Denial-of-Service
 * Considerations": "An endpoint that doesn't monitor use of these features exposes itself to a
 * risk of denial of service"; §10.5.1 header block size; CVE-2023-44487 rapid reset,
 * CVE-2024-27316 / VU#421644 CONTINUATION flood, CVE-2019-9512/9515/9518 ping, settings and
 * empty-frame floods, CVE-2016-6581 HPACK bomb, CVE-2019-9517 zero-window stall).
 *
 * <p>Each attack runs on its own connection, bounded by a frame count and by socket timeouts,
 * while a well-behaved client on a second connection keeps getting 200s; the attacker gets
 * exactly GOAWAY ENHANCE_YOUR_CALM (or the error named) and the connection is closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Http2FloodDefenceTest {

    private static final int MAX_FLOOD_FRAMES = 20_000;

    private static H2TestServer server;
    private WellBehavedClient bystander;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void startBystander() throws IOException {
        bystander = WellBehavedClient.start(server);
    }

    @AfterEach
    void closeBystander() {
        bystander.close();
    }

    // Rapid reset (CVE-2023-44487): streams opened and cancelled at once never count toward
    // SETTINGS_MAX_CONCURRENT_STREAMS (§5.1.2) but each starts request processing. The server
    // stops the connection with ENHANCE_YOUR_CALM after at most a few hundred.
    @Test
    void rapidResetIsStoppedWithEnhanceYourCalm() throws Exception {
        try (H2Connection attacker = server.connect()) {
            attacker.setAutoWindowUpdate(false);
            byte[] block = RawFieldBlock.get("/").bytes();
            Flood flood = Flood.start(attacker, MAX_FLOOD_FRAMES, i -> {
                int streamId = 2 * i + 1;
                return H2Frames.concat(H2Frames.headers(streamId, FLAG_END_HEADERS | FLAG_END_STREAM, block),
                        H2Frames.rstStream(streamId, CANCEL));
            });
            H2Frame goAway = attacker.awaitGoAway();
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(goAway.lastStreamId()).as("streams processed before the GOAWAY").isLessThan(2 * 1000 + 1);
            attacker.expectClosed();
            flood.await(Duration.ofSeconds(10));
        }
        bystander.assertServedThroughout();
    }

    // CONTINUATION flood (VU#421644), empty frames: the field block never ends and costs the
    // server nothing to buffer, only to process; it must not accept an endless number.
    @Test
    void continuationFloodOfEmptyFramesIsStoppedWithEnhanceYourCalm() throws Exception {
        try (H2Connection attacker = server.connect()) {
            byte[] block = RawFieldBlock.get("/").bytes();
            attacker.send(H2Frames.headers(1, FLAG_END_STREAM, block));
            Flood flood = Flood.start(attacker, MAX_FLOOD_FRAMES, i -> H2Frames.continuation(1, 0, new byte[0]));
            H2Frame goAway = attacker.awaitGoAway();
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(ENHANCE_YOUR_CALM);
            attacker.expectClosed();
            flood.await(Duration.ofSeconds(10));
        }
        bystander.assertServedThroughout();
    }

    // CONTINUATION flood (VU#421644), with octets: a field block that keeps growing must be cut off
    // before the server buffers much more than ~64 KiB (RFC 9113 §10.5.1: "A server that receives a
    // larger field block than it is willing to handle can send an HTTP 431 ... A client can discard
    // responses that it cannot process"; here the block never ends, so the only answer is GOAWAY).
    // Sent in 16 KiB steps, waiting briefly after each, so the test can see when the server reacts.
    @Test
    void continuationFloodWithOctetsIsStoppedBeforeBufferingMuch() throws Exception {
        try (H2Connection attacker = server.connect()) {
            // A literal whose value claims 1 MiB: the CONTINUATIONs carry its octets.
            byte[] start = RawFieldBlock.get("/").raw(0x00, 0x03, 'x', '-', 'a', 0x7f, 0x81, 0xff, 0x3f).bytes();
            attacker.send(H2Frames.headers(1, FLAG_END_STREAM, start));
            byte[] octets = new byte[1024];
            Arrays.fill(octets, (byte) 'a');
            int sent = 0;
            H2Frame goAway = null;
            attacker.setReadTimeout(Duration.ofMillis(250));
            try {
                while (goAway == null && sent < 1024 * 1024) {
                    try {
                        for (int i = 0; i < 16; i++) {
                            attacker.send(H2Frames.continuation(1, 0, octets));
                            sent += octets.length;
                        }
                    } catch (IOException closed) {
                        break; // the server closed the connection; its GOAWAY is in our receive buffer
                    }
                    goAway = pollGoAway(attacker);
                }
            } finally {
                attacker.setReadTimeout(H2Connection.READ_TIMEOUT);
            }
            if (goAway == null) {
                goAway = attacker.awaitGoAway();
            }
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(ENHANCE_YOUR_CALM);
            assertThat(sent).as("field block octets sent before the GOAWAY").isLessThanOrEqualTo(256 * 1024);
            attacker.expectClosed();
        }
        bystander.assertServedThroughout();
    }

    // SETTINGS flood (CVE-2019-9515): each SETTINGS obliges the server to queue an ACK (§6.5.3).
    @Test
    void settingsFloodIsStoppedWithEnhanceYourCalm() throws Exception {
        assertFloodStopped(i -> H2Frames.settings());
    }

    // PING flood (CVE-2019-9512): each PING obliges the server to answer (§6.7).
    @Test
    void pingFloodIsStoppedWithEnhanceYourCalm() throws Exception {
        assertFloodStopped(i -> H2Frames.ping(0, new byte[8]));
    }

    // Empty-frame flood (CVE-2019-9518): DATA frames without data and without END_STREAM cost the
    // server processing but carry nothing.
    @Test
    void emptyDataFloodIsStoppedWithEnhanceYourCalm() throws Exception {
        try (H2Connection attacker = server.connect()) {
            int streamId = attacker.request("POST", "/echo", false);
            Flood flood = Flood.start(attacker, MAX_FLOOD_FRAMES, i -> H2Frames.data(streamId, 0, new byte[0]));
            H2Frame goAway = attacker.awaitGoAway();
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(ENHANCE_YOUR_CALM);
            attacker.expectClosed();
            flood.await(Duration.ofSeconds(10));
        }
        bystander.assertServedThroughout();
    }

    // HPACK bomb (RFC 7541 §7.3 "Memory Consumption", RFC 9113 §10.5.1): one ~4 KiB entry in the
    // dynamic table referenced 300 times decodes to ~1.2 MB from a 300-octet block. The decoded list
    // is over SETTINGS_MAX_HEADER_LIST_SIZE (32,768), so the request gets 431; the block was
    // decoded (the tables stay in step), so the connection goes on.
    @Test
    void hpackBombGets431AndTheConnectionGoesOn() throws Exception {
        try (H2Connection attacker = server.connect()) {
            attacker.send(H2Frames.headers(1, FLAG_END_HEADERS | FLAG_END_STREAM,
                    RawFieldBlock.get("/").literalWithIndexing("x-bomb", "b".repeat(4000)).bytes()));
            assertThat(attacker.readResponse(1).status()).isEqualTo(200);
            RawFieldBlock bomb = RawFieldBlock.get("/");
            for (int i = 0; i < 300; i++) {
                bomb.indexed(RawFieldBlock.FIRST_DYNAMIC);
            }
            attacker.send(H2Frames.headers(3, FLAG_END_HEADERS | FLAG_END_STREAM, bomb.bytes()));
            H2Response response = attacker.readResponse(3);
            assertThat(response.status()).as("%s", response).isEqualTo(431);
            attacker.skipStreamIdsUpTo(3);
            attacker.assertServes();
        }
        bystander.assertServedThroughout();
    }

    // Zero-window stall (CVE-2019-9517 "Internal Data Buffering"): the client never opens its
    // receive window, so the response cannot progress. With a minimum response data rate (240 B/s
    // after a 1 s grace period), the server gives up on the connection: GOAWAY ENHANCE_YOUR_CALM
    // and close, within a few seconds.
    @Test
    void zeroWindowStallIsCutOffByTheMinimumResponseDataRate() throws Exception {
        try (H2TestServer strict = H2TestServer.start(options -> options.withLimits(ServerLimits.defaults()
                        .withMinResponseDataRate(new MinDataRate(240, Duration.ofSeconds(1)))));
                H2Connection attacker = strict.connect(SETTINGS_INITIAL_WINDOW_SIZE, 0)) {
            attacker.setAutoWindowUpdate(false);
            attacker.request("GET", "/big?n=100000", true);
            attacker.setReadTimeout(Duration.ofSeconds(10));
            long started = System.nanoTime();
            H2Frame goAway = attacker.awaitGoAway();
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(ENHANCE_YOUR_CALM);
            attacker.expectClosed();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
        bystander.assertServedThroughout();
    }

    // RFC 9113 §4.2: a frame announcing more than SETTINGS_MAX_FRAME_SIZE is refused from its
    // header: the server must not wait for (or buffer) a 16 MiB payload first.
    @Test
    void oversizedFrameIsRefusedFromItsHeaderAlone() throws Exception {
        try (H2Connection attacker = server.connect()) {
            attacker.send(H2Frames.header(0xFF_FFFF, H2Frames.DATA, 0, 1));
            attacker.send(new byte[H2Frames.DEFAULT_MAX_FRAME_SIZE + 1]);
            attacker.expectGoAway(FRAME_SIZE_ERROR);
        }
        bystander.assertServedThroughout();
    }

    // RFC 9113 §5.1.1: reusing a stream identifier (STREAM_CLOSED: the stream was used, §5.1) or
    // opening one lower than a used one (PROTOCOL_ERROR) are connection errors.
    @Test
    void streamIdentifierReuseIsAConnectionError() throws Exception {
        try (H2Connection attacker = server.connect()) {
            attacker.assertServes(); // 1
            attacker.assertServes(); // 3
            attacker.send(H2Frames.headers(3, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            attacker.expectGoAway(STREAM_CLOSED);
        }
        try (H2Connection attacker = server.connect()) {
            attacker.send(H2Frames.headers(9, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            assertThat(attacker.readResponse(9).status()).isEqualTo(200);
            attacker.send(H2Frames.headers(7, FLAG_END_HEADERS | FLAG_END_STREAM, RawFieldBlock.get("/").bytes()));
            attacker.expectGoAway(PROTOCOL_ERROR);
        }
        bystander.assertServedThroughout();
    }

    /** Floods a fresh connection with {@code frameAt} frames and expects GOAWAY ENHANCE_YOUR_CALM, then close. */
    private void assertFloodStopped(IntFunction<byte[]> frameAt) throws Exception {
        try (H2Connection attacker = server.connect()) {
            attacker.setAutoWindowUpdate(false);
            Flood flood = Flood.start(attacker, MAX_FLOOD_FRAMES, frameAt);
            H2Frame goAway = attacker.awaitGoAway();
            assertThat(goAway.errorCode()).as("%s", goAway).isEqualTo(ENHANCE_YOUR_CALM);
            attacker.expectClosed();
            flood.await(Duration.ofSeconds(10));
        }
        bystander.assertServedThroughout();
    }

    /** A GOAWAY if one arrives within the current read timeout, else null; other frames are skipped. */
    private static H2Frame pollGoAway(H2Connection c) throws IOException {
        try {
            while (true) {
                H2Frame frame = c.readFrame();
                if (frame.is(GOAWAY)) {
                    return frame;
                }
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException closed) {
            return null;
        }
    }
}
