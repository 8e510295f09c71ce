package dev.lanner.server.internal.http1;

/**
 * The Host rules of RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code
 * to any HTTP/1.1 request message that lacks a Host header field and to any request message that
 * contains more than one Host header field line or a Host header field with an invalid field
 * value." Stateless; safe from any thread.
 *
 * <p>The connection layer calls {@link #validate} for each Host line as it is parsed and
 * {@link #checkCount} once the header section is complete. With an absolute-form target the
 * server uses the target's authority and ignores Host (RFC 9112 §3.2.2), but Host must still be
 * present and valid.
 */
public final class HostHeader {

    private HostHeader() {
    }

    /**
     * Validates one Host value (already trimmed of OWS). An empty value is valid: a client sends
     * one when the target URI has no authority (RFC 9112 §3.2).
     *
     * @throws BadRequestException {@link RequestRejectionReason#INVALID_HOST}
     */
    public static void validate(byte[] buf, int start, int end) {
        if (start != end && !UriAuthority.isValid(buf, start, end, false)) {
            throw new BadRequestException(RequestRejectionReason.INVALID_HOST,
                    AsciiStrings.excerpt(buf, start, end));
        }
    }

    /**
     * Checks the number of Host field lines received.
     *
     * @throws BadRequestException {@link RequestRejectionReason#MISSING_HOST} for an HTTP/1.1
     *         request without Host, {@link RequestRejectionReason#MULTIPLE_HOST} for more than one
     */
    public static void checkCount(HttpVersion version, int hostLines) {
        if (hostLines > 1) {
            throw new BadRequestException(RequestRejectionReason.MULTIPLE_HOST);
        }
        if (hostLines == 0 && version == HttpVersion.HTTP_1_1) {
            throw new BadRequestException(RequestRejectionReason.MISSING_HOST);
        }
    }
}
