package dev.lanner.samples.hello;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * HTTP/1.1 requests over plain sockets from a chosen loopback address (127.0.0.0/8 is all local
 * on Linux), so a proxy and the application see distinct clients. One request per connection.
 */
final class LoopbackClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A response: status code, head (status line and fields) and body. */
    record Response(int status, String head, String body) {

        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    private LoopbackClient() {
    }

    /**
     * Connects to {@code port} again and again until a connect is refused (true) or {@code within} has
     * passed (false). A connect reset by the server is a probe caught in the accept backlog as the
     * listener closes: the next one is refused.
     */
    static boolean awaitRefused(int port, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (ConnectException refused) {
                return true;
            } catch (SocketException resetWhileTheListenerCloses) {
                // Try again: the listener is closing.
            } catch (IOException other) {
                throw new java.io.UncheckedIOException(other);
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** {@code GET path} with {@code Host: host} and the extra {@code fields} (lines without CRLF), from {@code from}. */
    static Response get(String from, int port, String path, String host, String... fields) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host).append("\r\n");
        for (String field : fields) {
            request.append(field).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        return exchange(from, port, request.toString());
    }

    static Response exchange(String from, int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = response.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("no complete response head: " + response);
            }
            String head = response.substring(0, end);
            String body = response.substring(end + 4);
            if (head.toLowerCase().contains("\r\ntransfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new Response(Integer.parseInt(head.substring(9, 12)), head, body);
        }
    }

    private static String dechunk(String chunked) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(chunked.getBytes(StandardCharsets.ISO_8859_1));
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("truncated chunked body");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            int size = Integer.parseInt(line.toString().split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            out.write(in.readNBytes(size));
            in.readNBytes(2);
        }
    }
}
