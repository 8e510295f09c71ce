package dev.lanner.module.internal.forwarding;

import java.nio.charset.StandardCharsets;

/**
 * Parses an HTTP/1.1 response head (RFC 9112 §4, §5) from bytes; pure: no I/O, no state across calls
 * beyond the {@link ResponseHead} it fills. The backend is our own application on loopback, yet it is
 * still parsed strictly: a malformed head is a {@link BadResponseException}, answered with 502.
 */
final class ResponseHeadParser {

    private ResponseHeadParser() {
    }

    /**
     * Parses the head in {@code buf[from, to)} into {@code head}.
     *
     * @return the offset just past the head's final CRLF, or -1 when the head is not complete yet
     */
    static int parse(byte[] buf, int from, int to, ResponseHead head) throws BadResponseException {
        int end = headEnd(buf, from, to);
        if (end < 0) {
            return -1;
        }
        head.reset();
        int lineEnd = lineEnd(buf, from, end);
        statusLine(buf, from, lineEnd, head);
        int at = lineEnd + 2;
        while (at < end - 2) {
            int eol = lineEnd(buf, at, end);
            field(buf, at, eol, head);
            at = eol + 2;
        }
        return end;
    }

    /** The offset past the first CRLFCRLF in {@code buf[from, to)}, or -1. */
    static int headEnd(byte[] buf, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (buf[i + 3] == '\n') {
                if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r') {
                    return i + 4;
                }
            } else if (buf[i + 3] != '\r') {
                i += 3; // neither byte can end a CRLFCRLF that starts at i+1..i+3 before i+4
            }
        }
        return -1;
    }

    private static int lineEnd(byte[] buf, int from, int end) throws BadResponseException {
        for (int i = from; i < end - 1; i++) {
            if (buf[i] == '\r') {
                if (buf[i + 1] != '\n') {
                    throw new BadResponseException("bare CR in the response head");
                }
                return i;
            }
            if (buf[i] == '\n') {
                throw new BadResponseException("bare LF in the response head");
            }
        }
        throw new BadResponseException("unterminated line in the response head");
    }

    // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
    private static void statusLine(byte[] buf, int from, int end, ResponseHead head) throws BadResponseException {
        if (end - from < 12 || buf[from] != 'H' || buf[from + 1] != 'T' || buf[from + 2] != 'T' || buf[from + 3] != 'P'
                || buf[from + 4] != '/' || buf[from + 5] != '1' || buf[from + 6] != '.' || buf[from + 8] != ' '
                || (end > from + 12 && buf[from + 12] != ' ')) {
            throw new BadResponseException("malformed status line: " + printable(buf, from, end));
        }
        int minor = buf[from + 7] - '0';
        if (minor != 0 && minor != 1) {
            throw new BadResponseException("unsupported version: " + printable(buf, from, end));
        }
        int status = 0;
        for (int i = from + 9; i < from + 12; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                throw new BadResponseException("malformed status code: " + printable(buf, from, end));
            }
            status = status * 10 + d;
        }
        if (status < 100) {
            throw new BadResponseException("status code out of range: " + status);
        }
        head.status = status;
        head.reason = end > from + 13 ? new String(buf, from + 13, end - from - 13, StandardCharsets.ISO_8859_1) : "";
        // HTTP/1.0 closes after the response unless it says keep-alive (RFC 9112 §9.3).
        head.close = minor == 0;
    }

    // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; no whitespace before the colon.
    private static void field(byte[] buf, int from, int end, ResponseHead head) throws BadResponseException {
        int colon = -1;
        for (int i = from; i < end; i++) {
            byte b = buf[i];
            if (b == ':') {
                colon = i;
                break;
            }
            if (b <= ' ' || b >= 127) {
                throw new BadResponseException("malformed field name: " + printable(buf, from, end));
            }
        }
        if (colon <= from) {
            throw new BadResponseException("malformed field line: " + printable(buf, from, end));
        }
        int v = colon + 1;
        int w = end;
        while (v < w && (buf[v] == ' ' || buf[v] == '\t')) {
            v++;
        }
        while (w > v && (buf[w - 1] == ' ' || buf[w - 1] == '\t')) {
            w--;
        }
        for (int i = v; i < w; i++) {
            byte b = buf[i];
            if ((b < ' ' && b != '\t') || b == 127) {
                throw new BadResponseException("control character in a field value");
            }
        }
        String name = new String(buf, from, colon - from, StandardCharsets.ISO_8859_1);
        String value = new String(buf, v, w - v, StandardCharsets.ISO_8859_1);
        if (name.equalsIgnoreCase("content-length")) {
            long length = parseLength(value);
            if (head.contentLength >= 0 && head.contentLength != length) {
                throw new BadResponseException("conflicting Content-Length values");
            }
            head.contentLength = length;
        } else if (name.equalsIgnoreCase("transfer-encoding")) {
            // RFC 9112 §6.1: chunked must be the final coding; anything else would be close-delimited.
            String last = value.substring(value.lastIndexOf(',') + 1).strip();
            if (!last.equalsIgnoreCase("chunked")) {
                throw new BadResponseException("unsupported Transfer-Encoding: " + value);
            }
            head.chunked = true;
        } else if (name.equalsIgnoreCase("connection")) {
            for (String option : value.split(",")) {
                String o = option.strip().toLowerCase(java.util.Locale.ROOT);
                if (o.equals("close")) {
                    head.close = true;
                } else if (o.equals("keep-alive")) {
                    head.close = false;
                } else if (!o.isEmpty()) {
                    head.connectionOptions.add(o);
                }
            }
        }
        head.names.add(name);
        head.values.add(value);
    }

    private static long parseLength(String value) throws BadResponseException {
        if (value.isEmpty() || value.length() > 18) {
            throw new BadResponseException("malformed Content-Length: " + value);
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            int d = value.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new BadResponseException("malformed Content-Length: " + value);
            }
            n = n * 10 + d;
        }
        return n;
    }

    private static String printable(byte[] buf, int from, int end) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < end && s.length() < 80; i++) {
            int b = buf[i] & 0xff;
            s.append(b >= ' ' && b < 127 ? (char) b : '?');
        }
        return s.toString();
    }
}
