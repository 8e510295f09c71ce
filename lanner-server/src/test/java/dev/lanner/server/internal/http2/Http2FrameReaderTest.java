package dev.lanner.server.internal.http2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The frame reader fed byte arrays: what it delivers, and the connection errors it raises alone (RFC 9113 §4, §6). */
class Http2FrameReaderTest {

    private final List<String> events = new ArrayList<>();
    private Http2FrameReader reader;

    private final Http2FrameReader.Listener listener = new Http2FrameReader.Listener() {
        @Override
        public void onData(int streamId, boolean endStream, byte[] buf, int offset, int length, int flowControlled) {
            events.add("DATA " + streamId + " " + new String(buf, offset, length) + " " + flowControlled + (endStream ? " END" : ""));
        }

        @Override
        public void onHeaders(int streamId, boolean endStream, byte[] block, int offset, int length, Http2ErrorCode streamError) {
            events.add("HEADERS " + streamId + " " + new String(block, offset, length) + (endStream ? " END" : "")
                    + (streamError == null ? "" : " " + streamError));
        }

        @Override
        public void onPriority(int streamId, Http2ErrorCode streamError) {
            events.add("PRIORITY " + streamId + " " + streamError);
        }

        @Override
        public void onRstStream(int streamId, long errorCode) {
            events.add("RST_STREAM " + streamId + " " + errorCode);
        }

        @Override
        public void onSettings(byte[] buf, int offset, int length) {
            events.add("SETTINGS " + length);
        }

        @Override
        public void onSettingsAck() {
            events.add("SETTINGS ACK");
        }

        @Override
        public void onPing(boolean ack, byte[] buf, int offset) {
            events.add("PING " + ack + " " + buf[offset + 7]);
        }

        @Override
        public void onGoAway(int lastStreamId, long errorCode) {
            events.add("GOAWAY " + lastStreamId + " " + errorCode);
        }

        @Override
        public void onWindowUpdate(int streamId, int increment) {
            events.add("WINDOW_UPDATE " + streamId + " " + increment);
        }
    };

    @BeforeEach
    void startAfterThePrefaceSettings() throws Exception {
        reader = new Http2FrameReader(listener, 16_384, 100);
        read(frame(Http2FrameType.SETTINGS, 0, 0));
        events.clear();
    }

    private int read(byte[] octets) throws Http2ConnectionException {
        return reader.read(octets, 0, octets.length);
    }

    private static byte[] frame(int type, int flags, int streamId, int... payload) {
        byte[] bytes = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            bytes[i] = (byte) payload[i];
        }
        return frame(type, flags, streamId, bytes);
    }

    private static byte[] frame(int type, int flags, int streamId, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(streamId >>> 24);
        out.write(streamId >>> 16);
        out.write(streamId >>> 8);
        out.write(streamId);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }

    private void assertConnectionError(byte[] octets, Http2ErrorCode code) {
        assertThatThrownBy(() -> read(octets)).isInstanceOf(Http2ConnectionException.class)
                .extracting(e -> ((Http2ConnectionException) e).errorCode()).isEqualTo(code);
    }

    @Test
    void firstFrameMustBeSettings() {
        Http2FrameReader fresh = new Http2FrameReader(listener, 16_384, 100);
        byte[] ping = frame(Http2FrameType.PING, 0, 0, new byte[8]);
        assertThatThrownBy(() -> fresh.read(ping, 0, ping.length)).isInstanceOf(Http2ConnectionException.class)
                .extracting(e -> ((Http2ConnectionException) e).errorCode()).isEqualTo(Http2ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void matchesThePrefaceByPrefix() {
        assertThat(Http2FrameReader.matchesPreface("PRI * HT".getBytes(), 8)).isTrue();
        assertThat(Http2FrameReader.matchesPreface("GET / HTTP/1.1".getBytes(), 14)).isFalse();
    }

    @Test
    void deliversCompleteFramesAndStopsAtAPartialOne() throws Exception {
        byte[] data = frame(Http2FrameType.DATA, Http2FrameType.FLAG_END_STREAM, 1, "abc".getBytes());
        byte[] both = concat(data, Arrays.copyOf(data, 5));
        assertThat(read(both)).isEqualTo(data.length);
        assertThat(events).containsExactly("DATA 1 abc 3 END");
    }

    @Test
    void removesDataPaddingButCountsItForFlowControl() throws Exception {
        read(frame(Http2FrameType.DATA, Http2FrameType.FLAG_PADDED, 1, 2, 'h', 'i', 0, 0));
        assertThat(events).containsExactly("DATA 1 hi 5");
    }

    @Test
    void paddingAsLongAsThePayloadIsAProtocolError() {
        assertConnectionError(frame(Http2FrameType.DATA, Http2FrameType.FLAG_PADDED, 1, 3, 'a', 'b'), Http2ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void frameLargerThanTheMaxFrameSizeFailsOnItsHeader() {
        byte[] header = Arrays.copyOf(frame(Http2FrameType.DATA, 0, 1, new byte[16_385]), 9);
        assertConnectionError(header, Http2ErrorCode.FRAME_SIZE_ERROR);
    }

    @Test
    void assemblesHeadersAndContinuationsIntoOneBlock() throws Exception {
        read(frame(Http2FrameType.HEADERS, Http2FrameType.FLAG_END_STREAM, 3, "ab".getBytes()));
        assertThat(reader.headerBlockStreamId()).isEqualTo(3);
        read(frame(Http2FrameType.CONTINUATION, 0, 3, "cd".getBytes()));
        read(frame(Http2FrameType.CONTINUATION, Http2FrameType.FLAG_END_HEADERS, 3, "ef".getBytes()));
        assertThat(events).containsExactly("HEADERS 3 abcdef END");
        assertThat(reader.headerBlockStreamId()).isZero();
    }

    @Test
    void anyOtherFrameInsideAHeaderBlockIsAProtocolError() throws Exception {
        read(frame(Http2FrameType.HEADERS, 0, 3, "ab".getBytes()));
        assertConnectionError(frame(Http2FrameType.PING, 0, 0, new byte[8]), Http2ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void continuationWithoutAHeaderBlockIsAProtocolError() {
        assertConnectionError(frame(Http2FrameType.CONTINUATION, Http2FrameType.FLAG_END_HEADERS, 1, "x".getBytes()),
                Http2ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void headerBlockBeyondItsLimitIsEnhanceYourCalm() throws Exception {
        read(frame(Http2FrameType.HEADERS, 0, 1, new byte[60]));
        assertConnectionError(frame(Http2FrameType.CONTINUATION, 0, 1, new byte[41]), Http2ErrorCode.ENHANCE_YOUR_CALM);
    }

    @Test
    void tooManyContinuationFramesIsEnhanceYourCalm() throws Exception {
        read(frame(Http2FrameType.HEADERS, 0, 1, new byte[0]));
        for (int i = 0; i < Http2FloodBudgets.MAX_CONTINUATION_FRAMES; i++) {
            read(frame(Http2FrameType.CONTINUATION, 0, 1, new byte[0]));
        }
        assertConnectionError(frame(Http2FrameType.CONTINUATION, 0, 1, new byte[0]), Http2ErrorCode.ENHANCE_YOUR_CALM);
    }

    @Test
    void headersDependingOnItselfCarryAStreamError() throws Exception {
        read(frame(Http2FrameType.HEADERS, Http2FrameType.FLAG_END_HEADERS | Http2FrameType.FLAG_PRIORITY, 5,
                0, 0, 0, 5, 16, 'x'));
        assertThat(events).containsExactly("HEADERS 5 x PROTOCOL_ERROR");
    }

    @Test
    void headersOnAnEvenStreamIsAProtocolError() {
        assertConnectionError(frame(Http2FrameType.HEADERS, Http2FrameType.FLAG_END_HEADERS, 2, "x".getBytes()),
                Http2ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void priorityOfTheWrongLengthIsAStreamFrameSizeError() throws Exception {
        read(frame(Http2FrameType.PRIORITY, 0, 1, 0, 0, 0, 3));
        assertThat(events).containsExactly("PRIORITY 1 FRAME_SIZE_ERROR");
    }

    @Test
    void fixedLengthFramesOfAnotherLengthAreFrameSizeErrors() {
        assertConnectionError(frame(Http2FrameType.PING, 0, 0, new byte[7]), Http2ErrorCode.FRAME_SIZE_ERROR);
        assertConnectionError(frame(Http2FrameType.RST_STREAM, 0, 1, new byte[3]), Http2ErrorCode.FRAME_SIZE_ERROR);
        assertConnectionError(frame(Http2FrameType.WINDOW_UPDATE, 0, 1, new byte[5]), Http2ErrorCode.FRAME_SIZE_ERROR);
        assertConnectionError(frame(Http2FrameType.SETTINGS, 0, 0, new byte[7]), Http2ErrorCode.FRAME_SIZE_ERROR);
        assertConnectionError(frame(Http2FrameType.SETTINGS, Http2FrameType.FLAG_ACK, 0, new byte[6]), Http2ErrorCode.FRAME_SIZE_ERROR);
    }

    @Test
    void connectionFramesOnAStreamAndStreamFramesOnZeroAreProtocolErrors() {
        assertConnectionError(frame(Http2FrameType.PING, 0, 1, new byte[8]), Http2ErrorCode.PROTOCOL_ERROR);
        assertConnectionError(frame(Http2FrameType.DATA, 0, 0, new byte[1]), Http2ErrorCode.PROTOCOL_ERROR);
        assertConnectionError(frame(Http2FrameType.RST_STREAM, 0, 0, new byte[4]), Http2ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void windowUpdateOfZeroOnTheConnectionIsAProtocolErrorButOnAStreamGoesToTheListener() throws Exception {
        assertConnectionError(frame(Http2FrameType.WINDOW_UPDATE, 0, 0, new byte[4]), Http2ErrorCode.PROTOCOL_ERROR);
        read(frame(Http2FrameType.WINDOW_UPDATE, 0, 1, new byte[4]));
        assertThat(events).containsExactly("WINDOW_UPDATE 1 0");
    }

    @Test
    void pushPromiseFromAClientIsAProtocolError() {
        assertConnectionError(frame(Http2FrameType.PUSH_PROMISE, Http2FrameType.FLAG_END_HEADERS, 1, new byte[4]),
                Http2ErrorCode.PROTOCOL_ERROR);
    }

    @Test
    void unknownFrameTypesAreIgnoredAndTheReservedBitOfTheStreamIdIsDropped() throws Exception {
        read(concat(frame(0x42, 0, 1, new byte[3]), frame(Http2FrameType.RST_STREAM, 0, 0x80000001, 0, 0, 0, 8)));
        assertThat(events).containsExactly("RST_STREAM 1 8");
    }

    @Test
    void deliversSettingsPingGoAwayAndTheirAcks() throws Exception {
        read(concat(frame(Http2FrameType.SETTINGS, 0, 0, new byte[12]),
                frame(Http2FrameType.SETTINGS, Http2FrameType.FLAG_ACK, 0),
                frame(Http2FrameType.PING, Http2FrameType.FLAG_ACK, 0, 0, 0, 0, 0, 0, 0, 0, 7),
                frame(Http2FrameType.GOAWAY, 0, 0, 0, 0, 0, 9, 0, 0, 0, 2)));
        assertThat(events).containsExactly("SETTINGS 12", "SETTINGS ACK", "PING true 7", "GOAWAY 9 2");
    }
}
