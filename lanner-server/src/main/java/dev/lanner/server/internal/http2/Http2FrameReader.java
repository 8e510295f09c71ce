package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2FrameType.*;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts the client's octets into frames (RFC 9113 §4) and hands each to a {@link Listener}: the frame
 * header, the rules that need no stream state (frame sizes, stream 0 or not, padding, the fixed
 * payload lengths of §6) and the assembly of a header block from HEADERS and CONTINUATION frames
 * (§4.3, §6.10) up to a size limit. Kestrel's {@code Http2FrameReader}, Netty's
 * {@code DefaultHttp2FrameReader}. Pure: no I/O, no clock, no streams; what it cannot judge alone
 * (idle or closed streams, windows) the listener judges. The connection's reader thread runs it;
 * only {@link #headerBlockStreamId()} may be read from another thread (the heartbeat).
 */
public final class Http2FrameReader {

    /** The client connection preface (RFC 9113 §3.4). */
    public static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** What the reader is waiting for. */
    private enum Phase {
        /** The first frame, which must be SETTINGS (§3.4). */
        PREFACE_SETTINGS,
        /** Any frame. */
        FRAMES,
        /** CONTINUATION frames of an unfinished header block, nothing else (§4.3). */
        HEADER_BLOCK
    }

    /** Receives the frames, already checked for what the reader can check. */
    public interface Listener {
        /**
         * A DATA frame's content, padding removed; {@code flowControlled} is the whole payload, which
         * counts against the windows (§6.9).
         */
        void onData(int streamId, boolean endStream, byte[] buf, int offset, int length, int flowControlled)
                throws Http2ConnectionException;

        /**
         * A complete header block (HEADERS and its CONTINUATIONs). {@code streamError} is a stream error
         * found in the HEADERS frame itself (a stream depending on itself, §5.3.1), else null; the block
         * must still be decoded to keep HPACK in step.
         */
        void onHeaders(int streamId, boolean endStream, byte[] block, int offset, int length, Http2ErrorCode streamError)
                throws Http2ConnectionException;

        /** A PRIORITY frame (deprecated, §5.3.2); {@code streamError} is its stream error, or null. */
        void onPriority(int streamId, Http2ErrorCode streamError) throws Http2ConnectionException;

        void onRstStream(int streamId, long errorCode) throws Http2ConnectionException;

        /** SETTINGS (not an ACK): {@code length} is a multiple of 6. */
        void onSettings(byte[] buf, int offset, int length) throws Http2ConnectionException;

        void onSettingsAck();

        /** PING: the 8 octets at {@code offset}. */
        void onPing(boolean ack, byte[] buf, int offset) throws Http2ConnectionException;

        void onGoAway(int lastStreamId, long errorCode);

        /** WINDOW_UPDATE on a stream (any increment, 0 included: a stream error) or on the connection (never 0). */
        void onWindowUpdate(int streamId, int increment) throws Http2ConnectionException;
    }

    private final Listener listener;
    private final int maxFrameSize;
    private final int maxHeaderBlock;
    private Phase phase = Phase.PREFACE_SETTINGS;
    private volatile int headerBlockStreamId;
    private boolean headerBlockEndStream;
    private Http2ErrorCode headerBlockStreamError;
    private int continuationFrames;
    private byte[] headerBlock = new byte[1024];
    private int headerBlockLength;

    /**
     * @param maxFrameSize   the SETTINGS_MAX_FRAME_SIZE the server announced (§4.2)
     * @param maxHeaderBlock the most octets a header block may take across its frames
     */
    public Http2FrameReader(Listener listener, int maxFrameSize, int maxHeaderBlock) {
        this.listener = listener;
        this.maxFrameSize = maxFrameSize;
        this.maxHeaderBlock = maxHeaderBlock;
    }

    /**
     * Whether {@code buf[0, length)} is a prefix of the connection preface (§3.4).
     */
    public static boolean matchesPreface(byte[] buf, int length) {
        int check = Math.min(length, PREFACE.length);
        return Arrays.equals(buf, 0, check, PREFACE, 0, check);
    }

    /** The stream whose header block is unfinished (CONTINUATION expected), or 0. Any thread. */
    public int headerBlockStreamId() {
        return headerBlockStreamId;
    }

    /**
     * Handles every complete frame in {@code buf[start, end)}; returns where the first incomplete frame
     * starts (end when none). A frame larger than {@link #maxFrameSize} fails as soon as its header is in.
     *
     * @throws Http2ConnectionException on a connection error (§5.4.1), from the reader or the listener
     */
    public int read(byte[] buf, int start, int end) throws Http2ConnectionException {
        int p = start;
        while (end - p >= HEADER_LENGTH) {
            int length = (buf[p] & 0xff) << 16 | (buf[p + 1] & 0xff) << 8 | (buf[p + 2] & 0xff);
            int type = buf[p + 3] & 0xff;
            if (phase == Phase.PREFACE_SETTINGS && type != SETTINGS) {
                throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "the connection preface must end with SETTINGS");
            }
            if (length > maxFrameSize) {
                // §4.2: larger than our SETTINGS_MAX_FRAME_SIZE.
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR,
                        "frame of " + length + " octets exceeds SETTINGS_MAX_FRAME_SIZE " + maxFrameSize);
            }
            if (end - p < HEADER_LENGTH + length) {
                break;
            }
            int flags = buf[p + 4] & 0xff;
            int streamId = readInt(buf, p + 5) & 0x7fffffff; // §4.1: the reserved bit is ignored
            int payload = p + HEADER_LENGTH;
            p = payload + length;
            frame(buf, type, flags, streamId, payload, length);
        }
        return p;
    }

    private void frame(byte[] buf, int type, int flags, int streamId, int p, int length) throws Http2ConnectionException {
        if (phase == Phase.HEADER_BLOCK && type != CONTINUATION) {
            // §4.3: a field block is contiguous; nothing else may come in between.
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    Http2FrameType.name(type) + " frame inside the header block of stream " + headerBlockStreamId);
        }
        if (phase == Phase.PREFACE_SETTINGS) {
            phase = Phase.FRAMES;
        }
        switch (type) {
            case DATA -> data(buf, flags, streamId, p, length);
            case HEADERS -> headers(buf, flags, streamId, p, length);
            case PRIORITY -> priority(buf, streamId, p, length);
            case RST_STREAM -> {
                requireStream(type, streamId);
                requireLength(type, length, 4);
                listener.onRstStream(streamId, readInt(buf, p) & 0xffffffffL);
            }
            case SETTINGS -> settings(buf, flags, streamId, p, length);
            case PUSH_PROMISE -> throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    "clients must not send PUSH_PROMISE"); // §8.4
            case PING -> {
                requireConnection(type, streamId);
                requireLength(type, length, 8); // §6.7
                listener.onPing((flags & FLAG_ACK) != 0, buf, p);
            }
            case GOAWAY -> {
                requireConnection(type, streamId);
                if (length < 8) {
                    throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "GOAWAY of " + length + " octets");
                }
                listener.onGoAway(readInt(buf, p) & 0x7fffffff, readInt(buf, p + 4) & 0xffffffffL);
            }
            case WINDOW_UPDATE -> {
                requireLength(type, length, 4); // §6.9
                int increment = readInt(buf, p) & 0x7fffffff;
                if (streamId == 0 && increment == 0) {
                    throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE with increment 0");
                }
                listener.onWindowUpdate(streamId, increment);
            }
            case CONTINUATION -> continuation(buf, flags, streamId, p, length);
            default -> {
                // §4.1, §5.5: unknown frame types are ignored.
            }
        }
    }

    private void data(byte[] buf, int flags, int streamId, int p, int length) throws Http2ConnectionException {
        requireStream(DATA, streamId);
        int offset = p;
        int dataLength = length;
        if ((flags & FLAG_PADDED) != 0) {
            if (length < 1) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "padded DATA without a pad length");
            }
            int pad = buf[p] & 0xff;
            if (pad >= length) {
                throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "DATA padding exceeds the payload"); // §6.1
            }
            offset = p + 1;
            dataLength = length - 1 - pad;
        }
        listener.onData(streamId, (flags & FLAG_END_STREAM) != 0, buf, offset, dataLength, length);
    }

    private void headers(byte[] buf, int flags, int streamId, int p, int length) throws Http2ConnectionException {
        requireStream(HEADERS, streamId);
        if ((streamId & 1) == 0) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "HEADERS on even stream " + streamId); // §5.1.1
        }
        int offset = p;
        int end = p + length;
        if ((flags & FLAG_PADDED) != 0) {
            if (length < 1) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "padded HEADERS without a pad length");
            }
            offset++;
            end -= buf[p] & 0xff;
        }
        Http2ErrorCode streamError = null;
        if ((flags & FLAG_PRIORITY) != 0) {
            if (end - offset < 5) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "HEADERS too short for its priority fields");
            }
            if ((readInt(buf, offset) & 0x7fffffff) == streamId) {
                streamError = Http2ErrorCode.PROTOCOL_ERROR; // §5.3.1: a stream cannot depend on itself
            }
            offset += 5;
        }
        if (end < offset) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "HEADERS padding exceeds the payload"); // §6.2
        }
        checkHeaderBlockSize(end - offset);
        boolean endStream = (flags & FLAG_END_STREAM) != 0;
        if ((flags & FLAG_END_HEADERS) != 0) {
            // The common case: the whole block in one frame, handed over without a copy.
            listener.onHeaders(streamId, endStream, buf, offset, end - offset, streamError);
            return;
        }
        headerBlockLength = 0;
        continuationFrames = 0;
        append(buf, offset, end - offset);
        headerBlockEndStream = endStream;
        headerBlockStreamError = streamError;
        headerBlockStreamId = streamId;
        phase = Phase.HEADER_BLOCK;
    }

    private void continuation(byte[] buf, int flags, int streamId, int p, int length) throws Http2ConnectionException {
        if (phase != Phase.HEADER_BLOCK || streamId != headerBlockStreamId) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    "CONTINUATION on stream " + streamId + " without an open header block"); // §6.10
        }
        Http2FloodBudgets.checkContinuation(++continuationFrames);
        checkHeaderBlockSize(headerBlockLength + length);
        append(buf, p, length);
        if ((flags & FLAG_END_HEADERS) != 0) {
            phase = Phase.FRAMES;
            headerBlockStreamId = 0;
            listener.onHeaders(streamId, headerBlockEndStream, headerBlock, 0, headerBlockLength, headerBlockStreamError);
        }
    }

    private void checkHeaderBlockSize(int size) throws Http2ConnectionException {
        if (size > maxHeaderBlock) {
            // CONTINUATION flood (CVE-2024-27316 family): stop buffering.
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "header block larger than " + maxHeaderBlock + " octets");
        }
    }

    private void append(byte[] buf, int offset, int length) {
        if (headerBlockLength + length > headerBlock.length) {
            headerBlock = Arrays.copyOf(headerBlock, Math.max(headerBlockLength + length, headerBlock.length * 2));
        }
        System.arraycopy(buf, offset, headerBlock, headerBlockLength, length);
        headerBlockLength += length;
    }

    private void priority(byte[] buf, int streamId, int p, int length) throws Http2ConnectionException {
        requireStream(PRIORITY, streamId);
        if (length != 5) {
            listener.onPriority(streamId, Http2ErrorCode.FRAME_SIZE_ERROR); // §6.3: a stream error
        } else if ((readInt(buf, p) & 0x7fffffff) == streamId) {
            listener.onPriority(streamId, Http2ErrorCode.PROTOCOL_ERROR); // §5.3.1
        } else {
            listener.onPriority(streamId, null);
        }
    }

    private void settings(byte[] buf, int flags, int streamId, int p, int length) throws Http2ConnectionException {
        requireConnection(SETTINGS, streamId);
        if ((flags & FLAG_ACK) != 0) {
            if (length != 0) {
                throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS ACK with a payload"); // §6.5
            }
            listener.onSettingsAck();
            return;
        }
        if (length % 6 != 0) {
            throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, "SETTINGS length not a multiple of 6");
        }
        listener.onSettings(buf, p, length);
    }

    private static void requireStream(int type, int streamId) throws Http2ConnectionException {
        if (streamId == 0) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, Http2FrameType.name(type) + " on stream 0");
        }
    }

    private static void requireConnection(int type, int streamId) throws Http2ConnectionException {
        if (streamId != 0) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    Http2FrameType.name(type) + " on stream " + streamId + " instead of 0");
        }
    }

    private static void requireLength(int type, int length, int required) throws Http2ConnectionException {
        if (length != required) {
            throw new Http2ConnectionException(Http2ErrorCode.FRAME_SIZE_ERROR, Http2FrameType.name(type) + " of " + length + " octets");
        }
    }

    /** A 32-bit big-endian value at {@code p}. */
    public static int readInt(byte[] buf, int p) {
        return (buf[p] & 0xff) << 24 | (buf[p + 1] & 0xff) << 16 | (buf[p + 2] & 0xff) << 8 | (buf[p + 3] & 0xff);
    }
}
