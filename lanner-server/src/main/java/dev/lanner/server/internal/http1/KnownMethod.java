package dev.lanner.server.internal.http1;

/**
 * The request methods of RFC 9110 §9 and RFC 5789 (PATCH), recognized by the parser without
 * allocating. Any other token is a valid method too (RFC 9110 §9.1): it is reported as
 * {@link #OTHER} with its byte range; whether to answer 501 is the application's choice.
 * Methods are case-sensitive, so {@code get} is {@link #OTHER}, not {@link #GET}. Immutable; safe
 * from any thread.
 */
public enum KnownMethod {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH,
    /** A method token that is none of the above; read it from the request line's byte range. */
    OTHER;

    private final String text = name();

    /** The method name as an interned constant; {@code "OTHER"} is never a method name. */
    public String text() {
        return text;
    }

    /** The known method whose name is exactly {@code [start, end)}, else {@link #OTHER}. */
    public static KnownMethod match(byte[] b, int start, int end) {
        int len = end - start;
        switch (len) {
            case 3:
                if (is(b, start, "GET")) {
                    return GET;
                }
                return is(b, start, "PUT") ? PUT : OTHER;
            case 4:
                if (is(b, start, "POST")) {
                    return POST;
                }
                return is(b, start, "HEAD") ? HEAD : OTHER;
            case 5:
                if (is(b, start, "PATCH")) {
                    return PATCH;
                }
                return is(b, start, "TRACE") ? TRACE : OTHER;
            case 6:
                return is(b, start, "DELETE") ? DELETE : OTHER;
            case 7:
                if (is(b, start, "OPTIONS")) {
                    return OPTIONS;
                }
                return is(b, start, "CONNECT") ? CONNECT : OTHER;
            default:
                return OTHER;
        }
    }

    private static boolean is(byte[] b, int start, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (b[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
