package dev.lanner.server.internal.http1;

/**
 * Writes the chunked transfer coding (RFC 9112 §7.1): the chunk header ({@code hex-size CRLF})
 * that precedes a chunk's data, and the end of the body, either the pre-encoded
 * {@code 0 CRLF CRLF} or {@code 0 CRLF} followed by trailer fields and {@code CRLF}. The one place
 * of these bytes; {@link ResponseHeaderWriter} and {@link Http1OutputProducer} use it. Stateless;
 * sizes are lower-case hex without leading zeros.
 */
public final class ChunkedBodyEncoder {

    /** The longest chunk header: 16 hex digits and CRLF. */
    public static final int MAX_CHUNK_HEADER_LENGTH = 18;

    private static final byte[] HEX = AsciiStrings.ascii("0123456789abcdef");
    private static final byte[] LAST_CHUNK = AsciiStrings.ascii("0\r\n");
    private static final byte[] END_OF_BODY = AsciiStrings.ascii("0\r\n\r\n");

    private ChunkedBodyEncoder() {
    }

    /**
     * Writes {@code hex(size) CRLF} at {@code dst[off]}.
     *
     * @param size the chunk's data length, at least 1 (a zero size is the last chunk)
     * @return the index just past what was written
     */
    public static int writeChunkHeader(long size, byte[] dst, int off) {
        if (size <= 0) {
            throw new IllegalArgumentException("chunk size must be positive: " + size);
        }
        int digits = (64 - Long.numberOfLeadingZeros(size) + 3) / 4;
        for (int i = digits - 1; i >= 0; i--) {
            dst[off + i] = HEX[(int) (size >>> ((digits - 1 - i) * 4)) & 0xF];
        }
        dst[off + digits] = '\r';
        dst[off + digits + 1] = '\n';
        return off + digits + 2;
    }

    /** Appends {@code 0 CRLF CRLF}, the end of a body without trailers. */
    public static ResponseHeaderWriter writeEndOfBody(ResponseHeaderWriter out) {
        return out.append(END_OF_BODY);
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
}
