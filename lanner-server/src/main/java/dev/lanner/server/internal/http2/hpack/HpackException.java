package dev.lanner.server.internal.http2.hpack;

/**
 * A header block could not be decoded. Thrown by the decoder on the connection's reader thread.
 *
 * <p>RFC 9113 §4.3 makes any HPACK decoding error a connection error of type
 * COMPRESSION_ERROR: once one representation is misread, the dynamic tables of both ends can no
 * longer be assumed equal, so no later block on the connection can be trusted.
 * {@link #isCompressionError()} says whether this exception is of that kind; the decoder throws
 * nothing else. The flag exists so that callers translating exceptions into HTTP/2 error codes do
 * not have to know which checks are fatal: a header list that is merely too large is not an
 * exception at all but is reported by {@link HpackDecoder#headerListTooLarge()}, because it
 * only affects one stream (RFC 9113 §8.2.3, §6.5.2).
 */
public final class HpackException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean compressionError;

    /**
     * @param message what was wrong with the header block
     * @param compressionError whether the error must close the connection with COMPRESSION_ERROR
     */
    public HpackException(String message, boolean compressionError) {
        // No stack trace: a peer can trigger these at will, and the message says what was wrong.
        super(message, null, false, false);
        this.compressionError = compressionError;
    }

    /** A decoding error: the connection must be closed with COMPRESSION_ERROR (RFC 9113 §4.3). */
    static HpackException compression(String message) {
        return new HpackException(message, true);
    }

    /** Whether this is a connection error of type COMPRESSION_ERROR (RFC 9113 §4.3). */
    public boolean isCompressionError() {
        return compressionError;
    }
}
