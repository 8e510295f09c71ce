package dev.lanner.server.internal.http2;

import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestPaths;
import dev.lanner.server.internal.http2.hpack.HeaderSink;
import java.nio.charset.StandardCharsets;

/**
 * Turns a request's decoded header block into a request (RFC 9113 §8.3.1) and notes the first reason
 * it is malformed (§8.1.1, §8.2): pseudo-header fields only first, once each, only the four a request
 * may carry; no connection-specific fields (§8.2.2); {@code te} only as {@code trailers}; names in lower
 * case and values without NUL, CR, LF or surrounding whitespace (§8.2.1); one consistent
 * {@code content-length}; {@code :authority} as Host; split {@code cookie} fields joined (§8.2.3).
 * The block is always decoded to its end, so the HPACK state stays in step. Pure: it fills the
 * {@link HttpHeaders} it is given and keeps the pseudo-headers for the caller. Reused for every
 * request of a connection by its reader thread.
 */
public final class Http2RequestHeaderValidator implements HeaderSink {

    private HttpHeaders headers;
    private String malformed;
    private boolean regularSeen;
    private String method;
    private String scheme;
    private String authority;
    private String target;
    private String cookie;
    private long declaredLength;
    private String path;
    private String queryString;

    /** Starts a request whose regular fields go to {@code into}. */
    public void start(HttpHeaders into) {
        headers = into;
        malformed = null;
        regularSeen = false;
        method = null;
        scheme = null;
        authority = null;
        target = null;
        cookie = null;
        declaredLength = -1;
        path = null;
        queryString = null;
    }

    @Override
    public void header(String knownName, byte[] name, int nameOffset, int nameLength, String knownValue,
                       byte[] value, int valueOffset, int valueLength, boolean neverIndexed) {
        if (malformed != null) {
            return;
        }
        String n = knownName != null ? knownName : new String(name, nameOffset, nameLength, StandardCharsets.ISO_8859_1);
        String v = knownValue != null ? knownValue : new String(value, valueOffset, valueLength, StandardCharsets.ISO_8859_1);
        if (knownName == null && !validName(n)) {
            malformed = "invalid header name";
            return;
        }
        if (knownValue == null && !validValue(v)) {
            malformed = "invalid value in " + n;
            return;
        }
        if (n.startsWith(":")) {
            pseudoHeader(n, v);
            return;
        }
        regularSeen = true;
        if (isConnectionSpecific(n)) {
            malformed = "connection-specific field " + n; // §8.2.2
            return;
        }
        if (n.equals("te") && !v.equals("trailers")) {
            malformed = "te other than trailers"; // §8.2.2
            return;
        }
        if (n.equals("cookie")) {
            // §8.2.3: split cookies are joined again for HTTP/1.1-style consumers.
            cookie = cookie == null ? v : cookie + "; " + v;
            return;
        }
        if (n.equals("content-length")) {
            long length = parseLength(v);
            if (length < 0 || (declaredLength >= 0 && declaredLength != length)) {
                malformed = "invalid content-length";
                return;
            }
            declaredLength = length;
        }
        headers.addValidated(n, v);
    }

    private void pseudoHeader(String n, String v) {
        if (regularSeen) {
            malformed = "pseudo-header after a regular field"; // §8.3
            return;
        }
        switch (n) {
            case ":method" -> method = once(method, v, n);
            case ":scheme" -> scheme = once(scheme, v, n);
            case ":path" -> target = once(target, v, n);
            case ":authority" -> authority = once(authority, v, n);
            default -> malformed = "unknown pseudo-header " + n; // §8.3: response ones included
        }
    }

    private String once(String previous, String value, String name) {
        if (previous != null) {
            malformed = "duplicate " + name;
        }
        return value;
    }

    /**
     * Completes the request; returns why it is malformed, or null. {@code endStream}: the HEADERS frame
     * ended the stream, so no body follows.
     */
    public String finish(boolean endStream) {
        if (malformed != null) {
            return malformed;
        }
        if (method == null) {
            return "missing :method";
        }
        if (method.equals("CONNECT")) {
            // §8.5: only :method and :authority.
            if (scheme != null || target != null || authority == null) {
                return "malformed CONNECT";
            }
            target = "";
        } else {
            if (scheme == null) {
                return "missing :scheme";
            }
            if (target == null) {
                return "missing :path";
            }
            if (target.isEmpty()) {
                return "empty :path";
            }
        }
        if (cookie != null) {
            headers.addValidated("cookie", cookie);
        }
        // §8.3.1: :authority stands for Host; the application sees one Host header.
        if (authority != null && headers.get("host") == null) {
            headers.addValidated("host", authority);
        }
        if (endStream && declaredLength > 0) {
            return "content-length without DATA"; // §8.1.1
        }
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        queryString = q < 0 ? "" : target.substring(q);
        if (rawPath.equals("*") && method.equals("OPTIONS")) {
            path = "";
        } else {
            path = RequestPaths.decodePath(rawPath);
            if (path == null) {
                return "invalid path";
            }
        }
        return null;
    }

    /** {@code :method}. */
    public String method() {
        return method;
    }

    /** {@code :scheme}, or null (CONNECT). */
    public String scheme() {
        return scheme;
    }

    /** {@code :authority}, or null. */
    public String authority() {
        return authority;
    }

    /** {@code :path} as sent (empty for CONNECT). */
    public String target() {
        return target;
    }

    /** The decoded path, after {@link #finish}. */
    public String path() {
        return path;
    }

    /** The query with its {@code ?}, or empty, after {@link #finish}. */
    public String queryString() {
        return queryString;
    }

    /** The {@code content-length} value, or -1. */
    public long declaredLength() {
        return declaredLength;
    }

    /** RFC 9113 §8.2.2: fields that belong to one HTTP/1.1 connection, not carried by HTTP/2. */
    public static boolean isConnectionSpecific(String lowerName) {
        return switch (lowerName) {
            case "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" -> true;
            default -> false;
        };
    }

    /** RFC 9113 §8.2.1: lower-case token characters only (a leading colon for pseudo-headers). */
    public static boolean validName(String n) {
        if (n.isEmpty()) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c == ':' && i == 0) {
                continue;
            }
            if (c >= 'A' && c <= 'Z' || c <= 0x20 || c >= 0x7f || c == ':' || "\"(),/;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9113 §8.2.1: no NUL, CR or LF, no leading or trailing whitespace. */
    public static boolean validValue(String v) {
        int len = v.length();
        if (len == 0) {
            return true;
        }
        if (v.charAt(0) == ' ' || v.charAt(0) == '\t' || v.charAt(len - 1) == ' ' || v.charAt(len - 1) == '\t') {
            return false;
        }
        for (int i = 0; i < len; i++) {
            char c = v.charAt(i);
            if (c == 0 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return true;
    }

    private static long parseLength(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Checks a trailer section (§8.1): no pseudo-header fields, valid names. Reused per connection. */
    public static final class Trailers implements HeaderSink {
        private boolean malformed;

        /** Starts a new trailer section. */
        public void start() {
            malformed = false;
        }

        /** Whether the section broke a rule. */
        public boolean malformed() {
            return malformed;
        }

        @Override
        public void header(String knownName, byte[] name, int nameOffset, int nameLength, String knownValue,
                           byte[] value, int valueOffset, int valueLength, boolean neverIndexed) {
            if (nameLength > 0 && name[nameOffset] == ':') {
                malformed = true;
            } else if (knownName == null && !validName(new String(name, nameOffset, nameLength, StandardCharsets.ISO_8859_1))) {
                malformed = true;
            }
        }
    }
}
