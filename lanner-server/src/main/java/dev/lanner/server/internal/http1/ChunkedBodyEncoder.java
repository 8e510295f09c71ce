package dev.lanner.server.internal.http1;

import java.nio.ByteBuffer;

/**
 * Writes the chunked transfer coding (RFC 9112 §7.1) into caller-supplied buffers: chunk
 * header ({@code hex-size CRLF}), data, {@code CRLF}; and the end of the body, either the
 * pre-encoded {@code 0 CRLF CRLF} or {@code 0 CRLF}, trailer fields, {@code CRLF}.
 * Stateless; sizes are lower-case hex without leading zeros.
 */
public final class ChunkedBodyEncoder {

    /** The longest chunk header: 16 hex digits and CRLF. */
    public static final int MAX_CHUNK_HEADER_LENGTH = 18;

    private static final byte[] HEX = AsciiStrings.ascii("0123456789abcdef");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = AsciiStrings.ascii("0\r\n");
    private static final byte[] END_OF_BODY = AsciiStrings.ascii("0\r\n\r\n");

    private ChunkedBodyEncoder() {
    }

    /** Length of the chunk header for {@code size}: hex digits plus CRLF. */
    public static int chunkHeaderLength(long size) {
        checkSize(size);
        return hexDigits(size) + 2;
    }

    /**
     * Writes {@code hex(size) CRLF} at {@code dst[off]}.
     *
     * @param size the chunk's data length, at least 1 (a zero size is the last chunk)
     * @return the index just past what was written
     */
    public static int writeChunkHeader(long size, byte[] dst, int off) {
        checkSize(size);
        int digits = hexDigits(size);
        for (int i = digits - 1; i >= 0; i--) {
            dst[off + i] = HEX[(int) (size >>> ((digits - 1 - i) * 4)) & 0xF];
        }
        dst[off + digits] = '\r';
        dst[off + digits + 1] = '\n';
        return off + digits + 2;
    }

    /** Writes {@code hex(size) CRLF} at {@code dst}'s position, advancing it. */
    public static void writeChunkHeader(long size, ByteBuffer dst) {
        checkSize(size);
        int digits = hexDigits(size);
        for (int i = digits - 1; i >= 0; i--) {
            dst.put(HEX[(int) (size >>> (i * 4)) & 0xF]);
        }
        dst.put(CRLF);
    }

    /** Writes the CRLF that ends a chunk's data; returns the index past it. */
    public static int writeChunkEnd(byte[] dst, int off) {
        dst[off] = '\r';
        dst[off + 1] = '\n';
        return off + 2;
    }

    /** Writes the CRLF that ends a chunk's data at {@code dst}'s position. */
    public static void writeChunkEnd(ByteBuffer dst) {
        dst.put(CRLF);
    }

    /**
     * Writes a whole chunk, header, data and CRLF, at {@code dst[dstOff]}; {@code len} must be
     * at least 1. The destination needs {@code chunkHeaderLength(len) + len + 2} bytes.
     *
     * @return the index just past what was written
     */
    public static int writeChunk(byte[] data, int off, int len, byte[] dst, int dstOff) {
        int pos = writeChunkHeader(len, dst, dstOff);
        System.arraycopy(data, off, dst, pos, len);
        return writeChunkEnd(dst, pos + len);
    }

    /** Writes {@code 0 CRLF CRLF}, the end of a body without trailers; returns the index past it. */
    public static int writeEndOfBody(byte[] dst, int off) {
        System.arraycopy(END_OF_BODY, 0, dst, off, END_OF_BODY.length);
        return off + END_OF_BODY.length;
    }

    /** Writes {@code 0 CRLF CRLF} at {@code dst}'s position. */
    public static void writeEndOfBody(ByteBuffer dst) {
        dst.put(END_OF_BODY);
    }

    /** The length of {@code 0 CRLF CRLF}. */
    public static int endOfBodyLength() {
        return END_OF_BODY.length;
    }

    /**
     * Starts the end of a body that has trailers: appends the last-chunk {@code 0 CRLF}; the
     * caller then appends the trailer fields with {@code out.header(...)} and ends with
     * {@link ResponseHeaderWriter#endOfHeaders()} (RFC 9112 §7.1: last-chunk trailer-section
     * CRLF). The writer's checks keep trailer values from splitting the message.
     */
    public static ResponseHeaderWriter startTrailers(ResponseHeaderWriter out) {
        return out.append(LAST_CHUNK);
    }

    private static void checkSize(long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + size);
        }
    }

    private static int hexDigits(long size) {
        return (64 - Long.numberOfLeadingZeros(size) + 3) / 4;
    }
}
