package dev.lanner.server.e2e.http2;

import static dev.lanner.server.e2e.http2.H2Frames.FLAG_ACK;
import static dev.lanner.server.e2e.http2.H2Frames.FLOW_CONTROL_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.FRAME_SIZE_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.GOAWAY;
import static dev.lanner.server.e2e.http2.H2Frames.PROTOCOL_ERROR;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS_ENABLE_PUSH;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS_INITIAL_WINDOW_SIZE;
import static dev.lanner.server.e2e.http2.H2Frames.SETTINGS_MAX_FRAME_SIZE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9113 §6.5 SETTINGS: format (§6.5.1), defined settings (§6.5.2), synchronization (§6.5.3). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Http2SettingsConformanceTest {

    private static final Duration QUIET = Duration.ofMillis(500);

    private static H2TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = H2TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    // RFC 9113 §6.5.3: "Upon receiving the SETTINGS frame, the recipient MUST ... immediately emit a
    // SETTINGS frame with the ACK flag set"; every SETTINGS frame gets its own ACK, with no payload.
    @Test
    void everySettingsFrameIsAcknowledged() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.settings(SETTINGS_INITIAL_WINDOW_SIZE, 70_000), H2Frames.settings(),
                    H2Frames.settings(SETTINGS_MAX_FRAME_SIZE, 20_000));
            for (int i = 0; i < 3; i++) {
                H2Frame ack = c.expect(f -> f.is(SETTINGS), "SETTINGS ACK " + (i + 1), f -> f.is(GOAWAY));
                assertThat(ack.flags()).isEqualTo(FLAG_ACK);
                assertThat(ack.payload()).isEmpty();
            }
            c.assertServes();
        }
    }

    // RFC 9113 §6.5: "Receipt of a SETTINGS frame with the ACK flag set and a length field value other
    // than 0 MUST be treated as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."
    @Test
    void settingsAckWithAPayloadIsAConnectionFrameSizeError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.frame(SETTINGS, FLAG_ACK, 0, new byte[6]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.5: "A SETTINGS frame with a length other than a multiple of 6 octets MUST be treated
    // as a connection error (Section 5.4.1) of type FRAME_SIZE_ERROR."
    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 5, 7, 13})
    void settingsWithALengthNotAMultipleOfSixIsAConnectionFrameSizeError(int length) throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.frame(SETTINGS, 0, 0, new byte[length]));
            c.expectGoAway(FRAME_SIZE_ERROR);
        }
    }

    // RFC 9113 §6.5.2 SETTINGS_ENABLE_PUSH: "Any value other than 0 or 1 MUST be treated as a
    // connection error (Section 5.4.1) of type PROTOCOL_ERROR."
    @ParameterizedTest(name = "value {0}")
    @ValueSource(ints = {2, -1})
    void enablePushOtherThanZeroOrOneIsAConnectionProtocolError(int value) throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.settings(SETTINGS_ENABLE_PUSH, value));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.5.2 SETTINGS_ENABLE_PUSH 1 is valid from a client (the server just never pushes).
    @Test
    void enablePushOneIsAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.settings(SETTINGS_ENABLE_PUSH, 1));
            c.expect(f -> f.is(SETTINGS) && f.ack(), "SETTINGS ACK", f -> f.is(GOAWAY));
            c.assertServes();
        }
    }

    // RFC 9113 §6.5.2 SETTINGS_INITIAL_WINDOW_SIZE: "Values above the maximum flow-control window size
    // of 2^31-1 MUST be treated as a connection error (Section 5.4.1) of type FLOW_CONTROL_ERROR."
    @Test
    void initialWindowSizeAboveTwoToThe31MinusOneIsAConnectionFlowControlError() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.settings(SETTINGS_INITIAL_WINDOW_SIZE, 0x8000_0000));
            c.expectGoAway(FLOW_CONTROL_ERROR);
        }
    }

    // RFC 9113 §6.5.2: 2^31-1 itself is a valid SETTINGS_INITIAL_WINDOW_SIZE.
    @Test
    void initialWindowSizeOfTwoToThe31MinusOneIsAccepted() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.settings(SETTINGS_INITIAL_WINDOW_SIZE, Integer.MAX_VALUE));
            c.expect(f -> f.is(SETTINGS) && f.ack(), "SETTINGS ACK", f -> f.is(GOAWAY));
            c.assertServes();
        }
    }

    // RFC 9113 §6.5.2 SETTINGS_MAX_FRAME_SIZE: "The value advertised by an endpoint MUST be between
    // this initial value [2^14] and the maximum allowed frame size (2^24-1 or 16,777,215 octets),
    // inclusive. Values outside this range MUST be treated as a connection error (Section 5.4.1) of
    // type PROTOCOL_ERROR."
    @ParameterizedTest(name = "value {0}")
    @ValueSource(ints = {0, 16_383, 16_777_216, Integer.MAX_VALUE})
    void maxFrameSizeOutsideTheAllowedRangeIsAConnectionProtocolError(int value) throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.settings(SETTINGS_MAX_FRAME_SIZE, value));
            c.expectGoAway(PROTOCOL_ERROR);
        }
    }

    // RFC 9113 §6.5.2: both ends of the SETTINGS_MAX_FRAME_SIZE range are valid, and the server
    // never sends a frame larger than the value in force (§4.2).
    @ParameterizedTest(name = "value {0}")
    @ValueSource(ints = {16_384, 16_777_215})
    void maxFrameSizeWithinTheRangeIsAcceptedAndHonoured(int value) throws IOException {
        try (H2Connection c = server.connect(SETTINGS_MAX_FRAME_SIZE, value, SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20)) {
            c.send(H2Frames.windowUpdate(0, 1 << 20));
            int streamId = c.request("GET", "/big?n=100000", true);
            H2Response response = c.readResponse(streamId);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(ConformanceApplication.bigBody(100_000));
            if (value == 16_384) {
                assertThat(response.dataFrames()).isGreaterThanOrEqualTo(100_000 / 16_384 + 1);
            }
        }
    }

    // RFC 9113 §6.5.2: "An endpoint that receives a SETTINGS frame with any unknown or unsupported
    // identifier MUST ignore that setting."
    @Test
    void unknownSettingsAreIgnored() throws IOException {
        try (H2Connection c = server.connect()) {
            c.send(H2Frames.settings(0x0, 5, 0x7, 1, 0xFF, 12345, 0xFFFF, -1));
            c.expect(f -> f.is(SETTINGS) && f.ack(), "SETTINGS ACK", f -> f.is(GOAWAY));
            c.assertServes();
        }
    }

    // RFC 9113 §6.9.2: "When the value of SETTINGS_INITIAL_WINDOW_SIZE changes, a receiver MUST adjust
    // the size of all stream flow-control windows that it maintains by the difference between the
    // new value and the old value." A stream blocked by a zero window resumes when it is raised.
    @Test
    void raisingInitialWindowSizeReleasesAStreamBlockedByAZeroWindow() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 0)) {
            c.setAutoWindowUpdate(false);
            int streamId = c.request("GET", "/big?n=1000", true);
            assertThat(c.readDataThenQuiet(streamId, 0, QUIET)).as("DATA while the window is 0").isZero();
            c.send(H2Frames.settings(SETTINGS_INITIAL_WINDOW_SIZE, 300));
            assertThat(c.readDataThenQuiet(streamId, 300, QUIET)).as("DATA once the window is 300").isEqualTo(300);
            c.send(H2Frames.windowUpdate(streamId, 700));
            assertThat(c.readDataThenQuiet(streamId, 700, QUIET)).as("DATA after 700 more").isEqualTo(700);
        }
    }

    // RFC 9113 §6.9.2: "A change to SETTINGS_INITIAL_WINDOW_SIZE can cause the available space in a
    // flow-control window to become negative. A sender MUST track the negative flow-control window
    // and MUST NOT send new flow-controlled frames until it receives WINDOW_UPDATE frames that cause
    // the flow-control window to become positive."
    @Test
    void loweringInitialWindowSizeCanMakeAStreamWindowNegative() throws IOException {
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 100)) {
            c.setAutoWindowUpdate(false);
            int streamId = c.request("GET", "/big?n=1000", true);
            assertThat(c.readDataThenQuiet(streamId, 100, QUIET)).as("DATA within the first 100").isEqualTo(100);
            c.send(H2Frames.settings(SETTINGS_INITIAL_WINDOW_SIZE, 50)); // window: 0 - 50 = -50
            c.send(H2Frames.windowUpdate(streamId, 40));                // -10: still nothing may be sent
            assertThat(c.readDataThenQuiet(streamId, 0, QUIET)).as("DATA at window -10").isZero();
            c.send(H2Frames.windowUpdate(streamId, 30));                // 20
            assertThat(c.readDataThenQuiet(streamId, 20, QUIET)).as("DATA at window 20").isEqualTo(20);
            c.send(H2Frames.windowUpdate(streamId, 10_000));
            assertThat(c.readDataThenQuiet(streamId, 880, QUIET)).as("the rest").isEqualTo(880);
        }
    }

    // RFC 9113 §6.9.2: "An endpoint MUST treat a change to SETTINGS_INITIAL_WINDOW_SIZE that causes
    // any flow-control window to exceed the maximum size as a connection error (Section 5.4.1) of
    // type FLOW_CONTROL_ERROR."
    @Test
    void initialWindowSizeChangeThatOverflowsAStreamWindowIsAConnectionFlowControlError() throws IOException {
        H2TestServer.assumeApplicationMayWait();
        try (H2Connection c = server.connect(SETTINGS_INITIAL_WINDOW_SIZE, 0)) {
            int streamId = c.request("GET", "/slow?ms=3000", true);
            c.send(H2Frames.windowUpdate(streamId, Integer.MAX_VALUE)); // window 2^31-1: allowed
            c.ping();
            c.send(H2Frames.settings(SETTINGS_INITIAL_WINDOW_SIZE, 1));  // 2^31: too large
            c.expectGoAway(FLOW_CONTROL_ERROR);
        }
    }

    // RFC 9113 §6.5.3: the values in a SETTINGS frame "MUST be processed in the order they appear";
    // the last value of a repeated setting wins.
    @Test
    void repeatedSettingInOneFrameTakesTheLastValue() throws IOException {
        try (H2Connection c = server.connect()) {
            c.setAutoWindowUpdate(false);
            c.send(H2Frames.settings(SETTINGS_INITIAL_WINDOW_SIZE, 0, SETTINGS_INITIAL_WINDOW_SIZE, 10));
            c.expect(f -> f.is(SETTINGS) && f.ack(), "SETTINGS ACK", f -> f.is(GOAWAY));
            int streamId = c.request("GET", "/big?n=1000", true);
            assertThat(c.readDataThenQuiet(streamId, 10, QUIET)).isEqualTo(10);
        }
    }
}
