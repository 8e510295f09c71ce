package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2FrameType.*;

import dev.lanner.server.internal.http2.hpack.HeaderBlockBuffer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Assembles outgoing frames (RFC 9113 §4.1, §6) in one growable byte array that the connection
 * flushes to its transport in a single write. Pure: no I/O, no locking; the
 * {@link Http2ConnectionWriter} owns it behind its lock, so whichever thread writes through that
 * writer runs it.
 */
public final class Http2FrameWriter {

    private byte[] buf;
    private int length;

    public Http2FrameWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public int length() {
        return length;
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /** The frames written so far, for a single transport write; {@link #clear()} after writing. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(buf, 0, length);
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, length);
    }

    public void clear() {
        length = 0;
    }

    int capacity() {
        return buf.length;
    }

    /** Drops an oversized buffer after a burst so that idle connections stay small. */
    public void trim(int maxRetained) {
        if (length == 0 && buf.length > maxRetained) {
            buf = new byte[maxRetained];
        }
    }

    private void ensure(int extra) {
        if (length + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + extra));
        }
    }

    private void header(int payloadLength, int type, int flags, int streamId) {
        byte[] b = buf;
        int p = length;
        b[p] = (byte) (payloadLength >>> 16);
        b[p + 1] = (byte) (payloadLength >>> 8);
        b[p + 2] = (byte) payloadLength;
        b[p + 3] = (byte) type;
        b[p + 4] = (byte) flags;
        b[p + 5] = (byte) (streamId >>> 24 & 0x7f);
        b[p + 6] = (byte) (streamId >>> 16);
        b[p + 7] = (byte) (streamId >>> 8);
        b[p + 8] = (byte) streamId;
        length = p + HEADER_LENGTH;
    }

    private void int32(int value) {
        byte[] b = buf;
        int p = length;
        b[p] = (byte) (value >>> 24);
        b[p + 1] = (byte) (value >>> 16);
        b[p + 2] = (byte) (value >>> 8);
        b[p + 3] = (byte) value;
        length = p + 4;
    }

    /** SETTINGS with {@code idsAndValues} = id, value, id, value... (RFC 9113 §6.5). */
    public void settings(int... idsAndValues) {
        int payload = idsAndValues.length / 2 * 6;
        ensure(HEADER_LENGTH + payload);
        header(payload, SETTINGS, 0, 0);
        for (int i = 0; i < idsAndValues.length; i += 2) {
            buf[length++] = (byte) (idsAndValues[i] >>> 8);
            buf[length++] = (byte) idsAndValues[i];
            int32(idsAndValues[i + 1]);
        }
    }

    public void settingsAck() {
        ensure(HEADER_LENGTH);
        header(0, SETTINGS, FLAG_ACK, 0);
    }

    public void ping(boolean ack, byte[] payload, int offset) {
        ensure(HEADER_LENGTH + 8);
        header(8, PING, ack ? FLAG_ACK : 0, 0);
        System.arraycopy(payload, offset, buf, length, 8);
        length += 8;
    }

    public void windowUpdate(int streamId, int increment) {
        ensure(HEADER_LENGTH + 4);
        header(4, WINDOW_UPDATE, 0, streamId);
        int32(increment & 0x7fffffff);
    }

    public void rstStream(int streamId, Http2ErrorCode code) {
        ensure(HEADER_LENGTH + 4);
        header(4, RST_STREAM, 0, streamId);
        int32(code.code());
    }

    public void goAway(int lastStreamId, Http2ErrorCode code, byte[] debugData) {
        int payload = 8 + debugData.length;
        ensure(HEADER_LENGTH + payload);
        header(payload, GOAWAY, 0, 0);
        int32(lastStreamId & 0x7fffffff);
        int32(code.code());
        System.arraycopy(debugData, 0, buf, length, debugData.length);
        length += debugData.length;
    }

    /** One DATA frame; the caller keeps {@code len} within the peer's max frame size and windows. */
    public void data(int streamId, byte[] src, int offset, int len, boolean endStream) {
        ensure(HEADER_LENGTH + len);
        header(len, DATA, endStream ? FLAG_END_STREAM : 0, streamId);
        System.arraycopy(src, offset, buf, length, len);
        length += len;
    }

    /**
     * A header block as HEADERS plus as many CONTINUATION frames as {@code maxFrameSize} needs
     * (RFC 9113 §4.3: contiguous, nothing interleaved; the {@link Http2ConnectionWriter} frames one block at a time).
     */
    public void headers(int streamId, HeaderBlockBuffer block, boolean endStream, int maxFrameSize) {
        int total = block.length();
        byte[] src = block.array();
        int first = Math.min(total, maxFrameSize);
        int frames = total <= maxFrameSize ? 1 : 1 + (total - first + maxFrameSize - 1) / maxFrameSize;
        ensure(frames * HEADER_LENGTH + total);
        int flags = (endStream ? FLAG_END_STREAM : 0) | (first == total ? FLAG_END_HEADERS : 0);
        header(first, HEADERS, flags, streamId);
        System.arraycopy(src, 0, buf, length, first);
        length += first;
        int pos = first;
        while (pos < total) {
            int n = Math.min(total - pos, maxFrameSize);
            header(n, CONTINUATION, pos + n == total ? FLAG_END_HEADERS : 0, streamId);
            System.arraycopy(src, pos, buf, length, n);
            length += n;
            pos += n;
        }
    }
}
