package dev.lanner.server.internal.http1;

/**
 * Receives what {@link ChunkedBodyDecoder} decodes. Ranges point into the caller's input buffer
 * and are valid only during the call. Called by the decoder on the thread reading the body.
 */
public interface ChunkedBodyHandler {

    /** A run of payload bytes, {@code len > 0}, not copied: it is a slice of the input. */
    void onData(byte[] buf, int off, int len);

    /**
     * One trailer field line (RFC 9112 §7.1.2), validated like a header line. Trailer fields
     * must not be merged into the header section unless known to be safe there (RFC 9110
     * §6.5.1); that choice belongs to the caller. Ignored by default.
     */
    default void onTrailer(byte[] buf, int nameStart, int nameEnd, int valueStart, int valueEnd) {
    }
}
