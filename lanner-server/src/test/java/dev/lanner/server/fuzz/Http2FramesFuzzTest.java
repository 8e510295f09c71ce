package dev.lanner.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanner.server.internal.http2.Http2ConnectionException;
import dev.lanner.server.internal.http2.Http2ErrorCode;
import dev.lanner.server.internal.http2.Http2FloodBudgets;
import dev.lanner.server.internal.http2.Http2FrameReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Fuzz target {@code http2-frames}: the HTTP/2 frame reader ({@link Http2FrameReader}), from the
 * first frame after the connection preface. Input: the frames, then (at the end) a split seed and
 * optionally small frame and header block limits.
 *
 * <p>Invariants: only {@link Http2ConnectionException} escapes; the frames delivered and the error
 * are the same whether the octets arrive whole or in pieces; the first frame is SETTINGS; nothing
 * delivered exceeds SETTINGS_MAX_FRAME_SIZE or the header block limit, or lies outside the buffer;
 * stream-bound frames never arrive on stream 0 and HEADERS only on odd streams; a SETTINGS payload
 * is a multiple of 6 octets; a connection WINDOW_UPDATE is never 0; a header block takes at most
 * {@link Http2FloodBudgets#MAX_CONTINUATION_FRAMES} CONTINUATION frames; nothing else comes between
 * a HEADERS frame and its CONTINUATIONs.
 */
class Http2FramesFuzzTest {

    private static final HexFormat HEX = HexFormat.of();

    @FuzzTest
    void frames(FuzzedDataProvider data) {
        long splitSeed = data.consumeLong();
        boolean small = data.consumeBoolean();
        int maxFrameSize = small ? data.consumeInt(0, 64) : 16_384;
        int maxHeaderBlock = small ? data.consumeInt(0, 256) : 64 * 1024;
        byte[] input = data.consumeRemainingAsBytes();

        Read whole = read(input, List.of(input.length), maxFrameSize, maxHeaderBlock);
        Read split = read(input, InputSplits.pieces(splitSeed, input.length), maxFrameSize, maxHeaderBlock);
        assertThat(split).isEqualTo(whole);
        if (!whole.events().isEmpty()) {
            assertThat(whole.events().get(0)).startsWith("SETTINGS");
        }
    }

    /** The frames delivered, the octets consumed (-1 after an error) and the error code, if any. */
    record Read(List<String> events, int consumed, Http2ErrorCode error) {
    }

    static Read read(byte[] input, List<Integer> pieces, int maxFrameSize, int maxHeaderBlock) {
        Recorder recorder = new Recorder(maxFrameSize, maxHeaderBlock);
        Http2FrameReader reader = new Http2FrameReader(recorder, maxFrameSize, maxHeaderBlock);
        recorder.reader = reader;
        byte[] pending = new byte[0];
        int offset = 0;
        int consumed = 0;
        try {
            for (int size : pieces) {
                byte[] next = Arrays.copyOf(pending, pending.length + size);
                System.arraycopy(input, offset, next, pending.length, size);
                offset += size;
                int end = reader.read(next, 0, next.length);
                assertThat(end).isBetween(0, next.length);
                consumed += end;
                pending = Arrays.copyOfRange(next, end, next.length);
            }
        } catch (Http2ConnectionException e) {
            assertThat(e.errorCode()).isNotNull().isNotEqualTo(Http2ErrorCode.NO_ERROR);
            return new Read(List.copyOf(recorder.events), -1, e.errorCode());
        }
        // What is left is less than one whole frame.
        int left = input.length - consumed;
        if (left >= 9) {
            int length = (input[consumed] & 0xff) << 16 | (input[consumed + 1] & 0xff) << 8 | (input[consumed + 2] & 0xff);
            assertThat(left).isLessThan(9 + length);
        }
        return new Read(List.copyOf(recorder.events), consumed, null);
    }

    private static final class Recorder implements Http2FrameReader.Listener {
        private final int maxFrameSize;
        private final int maxHeaderBlock;
        private final List<String> events = new ArrayList<>();
        private Http2FrameReader reader;

        Recorder(int maxFrameSize, int maxHeaderBlock) {
            this.maxFrameSize = maxFrameSize;
            this.maxHeaderBlock = maxHeaderBlock;
        }

        private void event(String event) {
            // Between a HEADERS frame without END_HEADERS and its last CONTINUATION nothing is delivered.
            assertThat(reader.headerBlockStreamId()).as("open header block at " + event).isZero();
            events.add(event);
        }

        @Override
        public void onData(int streamId, boolean endStream, byte[] buf, int offset, int length, int flowControlled) {
            assertThat(streamId).isPositive();
            assertThat(length).isBetween(0, flowControlled);
            assertThat(flowControlled).isLessThanOrEqualTo(maxFrameSize);
            assertThat(offset).isNotNegative();
            assertThat(offset + length).isLessThanOrEqualTo(buf.length);
            event("DATA " + streamId + " " + endStream + " " + HEX.formatHex(buf, offset, offset + length) + " " + flowControlled);
        }

        @Override
        public void onHeaders(int streamId, boolean endStream, byte[] block, int offset, int length, Http2ErrorCode streamError) {
            assertThat(streamId).isPositive().isOdd();
            assertThat(length).isBetween(0, maxHeaderBlock);
            // HEADERS and at most MAX_CONTINUATION_FRAMES CONTINUATIONs, each no larger than a frame.
            assertThat((long) length).isLessThanOrEqualTo((long) maxFrameSize * (1 + Http2FloodBudgets.MAX_CONTINUATION_FRAMES));
            assertThat(offset).isNotNegative();
            assertThat(offset + length).isLessThanOrEqualTo(block.length);
            event("HEADERS " + streamId + " " + endStream + " " + HEX.formatHex(block, offset, offset + length) + " " + streamError);
        }

        @Override
        public void onPriority(int streamId, Http2ErrorCode streamError) {
            assertThat(streamId).isPositive();
            event("PRIORITY " + streamId + " " + streamError);
        }

        @Override
        public void onRstStream(int streamId, long errorCode) {
            assertThat(streamId).isPositive();
            assertThat(errorCode).isBetween(0L, 0xffffffffL);
            event("RST_STREAM " + streamId + " " + errorCode);
        }

        @Override
        public void onSettings(byte[] buf, int offset, int length) {
            assertThat(length % 6).isZero();
            assertThat(length).isBetween(0, maxFrameSize);
            assertThat(offset + length).isLessThanOrEqualTo(buf.length);
            event("SETTINGS " + HEX.formatHex(buf, offset, offset + length));
        }

        @Override
        public void onSettingsAck() {
            event("SETTINGS ACK");
        }

        @Override
        public void onPing(boolean ack, byte[] buf, int offset) {
            assertThat(offset + 8).isLessThanOrEqualTo(buf.length);
            event("PING " + ack + " " + HEX.formatHex(buf, offset, offset + 8));
        }

        @Override
        public void onGoAway(int lastStreamId, long errorCode) {
            assertThat(lastStreamId).isNotNegative();
            event("GOAWAY " + lastStreamId + " " + errorCode);
        }

        @Override
        public void onWindowUpdate(int streamId, int increment) {
            assertThat(streamId).isNotNegative();
            assertThat(increment).isNotNegative();
            if (streamId == 0) {
                assertThat(increment).isPositive();
            }
            event("WINDOW_UPDATE " + streamId + " " + increment);
        }
    }
}
