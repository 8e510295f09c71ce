package dev.lanner.server.internal.http1;

import dev.lanner.http.server.core.StatusCodes;

/**
 * Pre-encoded HTTP/1.1 status lines ({@code HTTP/1.1 200 OK\r\n}), one shared array per status
 * code from 100 to 999 (the request core's {@code StatusCodes} range), built once, so writing a response head copies bytes and encodes nothing.
 * Built once at class initialization and never changed (callers must not modify the arrays); safe
 * from any thread.
 *
 * <p>Reason phrases are those of RFC 9110 §15 (plus RFC 6585's 428, 429, 431, 511, RFC 7725's
 * 451 and RFC 8297's 103). A code without one gets an empty phrase, which the grammar allows:
 * {@code status-line = HTTP-version SP status-code SP [ reason-phrase ]} (RFC 9112 §4), so the
 * second SP stays. The server always answers {@code HTTP/1.1}, also to HTTP/1.0 requests
 * (RFC 9110 §2.5: the highest minor version it conforms to).
 */
public final class StatusLines {

    private static final int MIN = StatusCodes.MIN;
    private static final int MAX = StatusCodes.MAX;
    private static final String[] REASONS = new String[MAX + 1];
    private static final byte[][] LINES = new byte[MAX + 1][];

    static {
        reason(100, "Continue");
        reason(101, "Switching Protocols");
        reason(103, "Early Hints");
        reason(200, "OK");
        reason(201, "Created");
        reason(202, "Accepted");
        reason(203, "Non-Authoritative Information");
        reason(204, "No Content");
        reason(205, "Reset Content");
        reason(206, "Partial Content");
        reason(300, "Multiple Choices");
        reason(301, "Moved Permanently");
        reason(302, "Found");
        reason(303, "See Other");
        reason(304, "Not Modified");
        reason(305, "Use Proxy");
        reason(307, "Temporary Redirect");
        reason(308, "Permanent Redirect");
        reason(400, "Bad Request");
        reason(401, "Unauthorized");
        reason(402, "Payment Required");
        reason(403, "Forbidden");
        reason(404, "Not Found");
        reason(405, "Method Not Allowed");
        reason(406, "Not Acceptable");
        reason(407, "Proxy Authentication Required");
        reason(408, "Request Timeout");
        reason(409, "Conflict");
        reason(410, "Gone");
        reason(411, "Length Required");
        reason(412, "Precondition Failed");
        reason(413, "Content Too Large");
        reason(414, "URI Too Long");
        reason(415, "Unsupported Media Type");
        reason(416, "Range Not Satisfiable");
        reason(417, "Expectation Failed");
        reason(421, "Misdirected Request");
        reason(422, "Unprocessable Content");
        reason(426, "Upgrade Required");
        reason(428, "Precondition Required");
        reason(429, "Too Many Requests");
        reason(431, "Request Header Fields Too Large");
        reason(451, "Unavailable For Legal Reasons");
        reason(500, "Internal Server Error");
        reason(501, "Not Implemented");
        reason(502, "Bad Gateway");
        reason(503, "Service Unavailable");
        reason(504, "Gateway Timeout");
        reason(505, "HTTP Version Not Supported");
        reason(511, "Network Authentication Required");
        for (int status = MIN; status <= MAX; status++) {
            String phrase = REASONS[status] == null ? "" : REASONS[status];
            LINES[status] = AsciiStrings.ascii("HTTP/1.1 " + status + " " + phrase + "\r\n");
        }
    }

    private StatusLines() {
    }

    private static void reason(int status, String phrase) {
        REASONS[status] = phrase;
    }

    /**
     * The status line for {@code status}, CRLF included. The array is shared: never modify it.
     *
     * @throws IllegalArgumentException outside 100-999 (RFC 9110 §15)
     */
    public static byte[] of(int status) {
        check(status);
        return LINES[status];
    }

    /** The RFC reason phrase, or an empty string for an unregistered code. */
    public static String reasonPhrase(int status) {
        check(status);
        String phrase = REASONS[status];
        return phrase == null ? "" : phrase;
    }

    private static void check(int status) {
        if (status < MIN || status > MAX) {
            throw new IllegalArgumentException("status code not in 100-999: " + status);
        }
    }
}
