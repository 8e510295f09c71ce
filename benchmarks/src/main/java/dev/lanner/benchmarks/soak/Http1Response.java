package dev.lanner.benchmarks.soak;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An HTTP/1.1 response read off a raw socket (RFC 9112): status line, header fields (names in
 * lower case), and the body framed by Content-Length, chunked coding or the end of the connection.
 *
 * @param status the status code
 * @param headers the header fields, last value wins, names in lower case
 * @param body the body octets
 */
record Http1Response(int status, Map<String, String> headers, byte[] body) {

    private static final int MAX_LINE = 16 * 1024;

    /** True when the server said it closes the connection after this response. */
    boolean closes() {
        return "close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
    }

    String bodyText() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads one response to a request with method {@code method}; returns null when the connection
     * ends (or is reset) before the first octet of the status line.
     */
    static Http1Response read(InputStream in, String method) throws IOException {
        String statusLine;
        try {
            statusLine = line(in, true);
        } catch (java.net.SocketException reset) {
            if (String.valueOf(reset.getMessage()).contains("reset")) {
                return null;
            }
            throw reset;
        }
        if (statusLine == null) {
            return null;
        }
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("bad status line: " + abbreviate(statusLine));
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new HashMap<>();
        for (String line = line(in, false); !line.isEmpty(); line = line(in, false)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + abbreviate(line));
            }
            headers.put(line.substring(0, colon).toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).strip());
        }
        byte[] body;
        boolean bodiless = method.equals("HEAD") || status / 100 == 1 || status == 204 || status == 304;
        if (bodiless) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            if (body.length != Integer.parseInt(headers.get("content-length"))) {
                throw new EOFException("body cut short");
            }
        } else {
            body = in.readAllBytes();
        }
        return new Http1Response(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, false);
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon), 16);
            if (size == 0) {
                while (!line(in, false).isEmpty()) {
                    // trailer fields: ignored
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size) {
                throw new EOFException("chunk cut short");
            }
            body.writeBytes(chunk);
            if (!line(in, false).isEmpty()) {
                throw new IOException("no CRLF after chunk data");
            }
        }
    }

    /** One CRLF-terminated line without the CRLF; null at end of stream before any octet if {@code nullAtEnd}. */
    private static String line(InputStream in, boolean nullAtEnd) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.isEmpty() && nullAtEnd) {
                    return null;
                }
                throw new EOFException("connection closed mid-response");
            }
            if (b == '\n') {
                int last = line.length() - 1;
                if (last < 0 || line.charAt(last) != '\r') {
                    throw new IOException("bare LF in response");
                }
                line.setLength(last);
                return line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("response line too long");
            }
            line.append((char) b);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
