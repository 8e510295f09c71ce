package dev.lanner.server.internal.http1;

/**
 * Receives each field line of a header or trailer section as byte ranges into the caller's
 * buffer. The ranges are valid only during the call: the caller may reuse the buffer as soon as
 * the parser returns, so copy (or intern through {@link KnownHeader}) what must be kept. Called by
 * the parser on the thread that parses, the one serving the connection at the time.
 */
@FunctionalInterface
public interface HeaderHandler {

    /**
     * One field line. The name is a validated token; the value has its leading and trailing
     * whitespace removed (RFC 9112 §5.1) and contains only SP, HTAB, VCHAR and obs-text.
     *
     * @param buf        the buffer the ranges point into
     * @param nameStart  first byte of the field name
     * @param nameEnd    end (exclusive) of the field name
     * @param valueStart first byte of the trimmed value
     * @param valueEnd   end (exclusive) of the trimmed value; equal to valueStart when empty
     */
    void onHeader(byte[] buf, int nameStart, int nameEnd, int valueStart, int valueEnd);
}
