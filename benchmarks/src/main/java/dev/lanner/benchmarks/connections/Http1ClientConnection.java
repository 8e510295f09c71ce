package dev.lanner.benchmarks.connections;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** HTTP/1.1 keep-alive over a plain or TLS socket; responses framed by Content-Length only. */
final class Http1ClientConnection extends ClientConnection {

    private static final byte[] CONTENT_LENGTH = "\r\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

    private final byte[] request;

    Http1ClientConnection(Socket socket, String authority) throws IOException {
        super(socket);
        this.request = ("GET /plaintext HTTP/1.1\r\nHost: " + authority + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    int get() throws IOException {
        out.write(request);
        out.flush();
        byte[] buffer = new byte[1024];
        int length = 0;
        int headEnd;
        while ((headEnd = indexOfEmptyLine(buffer, length)) < 0) {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int r = in.read(buffer, length, buffer.length - length);
            if (r < 0) {
                throw new IOException("closed by the server");
            }
            length += r;
        }
        // "HTTP/1.1 200 OK"
        if (headEnd < 12 || buffer[8] != ' ') {
            throw new IOException("not an HTTP/1.1 response");
        }
        int status = (buffer[9] - '0') * 100 + (buffer[10] - '0') * 10 + (buffer[11] - '0');
        long remaining = contentLength(buffer, headEnd) - (length - headEnd);
        while (remaining > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (r < 0) {
                throw new IOException("closed by the server in the body");
            }
            remaining -= r;
        }
        if (remaining < 0) {
            throw new IOException("more bytes than the response's Content-Length");
        }
        return status;
    }

    /** The offset just after the head's CRLFCRLF, or -1. */
    private static int indexOfEmptyLine(byte[] b, int length) {
        for (int i = 3; i < length; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private static long contentLength(byte[] b, int headEnd) throws IOException {
        outer:
        for (int i = 0; i + CONTENT_LENGTH.length <= headEnd; i++) {
            for (int j = 0; j < CONTENT_LENGTH.length; j++) {
                if (Character.toLowerCase(b[i + j]) != CONTENT_LENGTH[j]) {
                    continue outer;
                }
            }
            int k = i + CONTENT_LENGTH.length;
            while (b[k] == ' ') {
                k++;
            }
            long value = 0;
            while (b[k] >= '0' && b[k] <= '9') {
                value = value * 10 + (b[k++] - '0');
            }
            return value;
        }
        throw new IOException("response without Content-Length (the tool frames by Content-Length only)");
    }
}
