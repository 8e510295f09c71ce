package dev.lanner.hosting.internal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of a training run: keep-alive load with connection churn on one HTTP/1.1 address, so that
 * the method profiles the JDK writes into the AOT cache (JEP 515) are those of a server in its steady state,
 * and include the ends and starts of connections.
 *
 * <p>Without it the first connections to close after a load that kept its connections open (a benchmark's
 * warm-up, a deployment's first clients) made the JIT meet code it had compiled as never taken (the hang-up
 * bits of the selector, the end of stream in the read path, the first request of a connection) and throw away
 * some 60 compiled methods, the event loop's among them: several seconds of interpreted requests at a third of
 * the throughput (docs/decisions/016). {@link #CONNECTIONS} client threads each open a connection, make
 * {@link #ROUNDS_PER_CONNECTION} rounds on it (one request, or every fifth round {@link #PIPELINE_DEPTH}
 * pipelined ones), cycling through the paths, end it in one of the three ways connections end (closed
 * idle, closed with requests in flight, reset; over TLS the last two without a {@code close_notify}, as load
 * generators and browsers leave) and open the next, until the time is up.
 */
final class TrainingLoad {
    static final int CONNECTIONS = 8;
    static final int ROUNDS_PER_CONNECTION = 50;
    static final int PIPELINE_DEPTH = 4;
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADER_LINES = 256;
    private static final Logger log = LoggerFactory.getLogger(TrainingLoad.class);

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final List<byte[]> requests;
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();

    /**
     * @param tls the TLS context for an {@code https} address (it offers ALPN {@code http/1.1}), or {@code null}
     *            for cleartext
     * @param requests the whole request heads to cycle through, one a path
     */
    TrainingLoad(String host, int port, SSLContext tls, List<byte[]> requests) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.requests = List.copyOf(requests);
    }

    /** Runs the load for {@code duration}; returns the number of responses read. */
    long run(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        List<Thread> clients = new ArrayList<>(CONNECTIONS);
        for (int i = 0; i < CONNECTIONS; i++) {
            int first = i;
            clients.add(Thread.ofPlatform().daemon().name("lanner-training-" + i).start(() -> client(first, deadline)));
        }
        for (Thread client : clients) {
            try {
                client.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return answered.get();
    }

    /** The connections opened so far. */
    long connections() {
        return connections.get();
    }

    private void client(int first, long deadline) {
        int next = first;
        for (long opened = 0; System.nanoTime() - deadline < 0; opened++) {
            Connection connection;
            try {
                connection = open();
            } catch (IOException e) {
                log.debug("Training load on {}:{} stopped: {}", host, port, e.toString());
                return;
            }
            connections.incrementAndGet();
            try {
                OutputStream out = connection.socket().getOutputStream();
                InputStream in = new BufferedInputStream(connection.socket().getInputStream());
                boolean open = true;
                for (int round = 0; open && round < ROUNDS_PER_CONNECTION && System.nanoTime() - deadline < 0; round++) {
                    int depth = round % 5 == 4 ? PIPELINE_DEPTH : 1;
                    write(out, next, depth);
                    for (int i = 0; i < depth && open; i++) {
                        open = readResponse(in);
                        answered.incrementAndGet();
                    }
                    next += depth;
                }
                if (open) {
                    end(connection, out, next, Ending.values()[(int) (opened % Ending.values().length)]);
                }
            } catch (IOException e) {
                log.debug("Training load on {}:{} stopped: {}", host, port, e.toString());
                return;
            } finally {
                connection.close();
            }
        }
    }

    /** How a client leaves: the three ways the server sees connections end. */
    private enum Ending {
        /** Closes an idle connection (over TLS with a {@code close_notify}): the server reads the end of the stream. */
        IDLE_CLOSE,
        /**
         * Closes with requests in flight, over TLS without a {@code close_notify} (a load generator stopping, a
         * browser leaving): the responses meet a reset, a TLS server reads a truncated stream.
         */
        CLOSE_IN_FLIGHT,
        /** Resets an idle connection (linger 0, over TLS without a {@code close_notify}): the server's read fails. */
        RESET
    }

    /** A client connection: {@code socket} speaks HTTP, {@code tcp} is the TCP socket under it (the same in cleartext). */
    private record Connection(Socket socket, Socket tcp) {
        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing after the TCP socket was closed or reset under the TLS one: nothing left to do.
            }
            try {
                tcp.close();
            } catch (IOException e) {
                // Already closed.
            }
        }
    }

    private void end(Connection connection, OutputStream out, int next, Ending ending) throws IOException {
        switch (ending) {
            case IDLE_CLOSE -> { }
            case CLOSE_IN_FLIGHT -> {
                write(out, next, PIPELINE_DEPTH);
                connection.tcp().close();
            }
            case RESET -> {
                connection.tcp().setSoLinger(true, 0);
                connection.tcp().close();
            }
        }
    }

    private void write(OutputStream out, int next, int depth) throws IOException {
        for (int i = 0; i < depth; i++) {
            out.write(requests.get((next + i) % requests.size()));
        }
        out.flush();
    }

    private Connection open() throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            if (tls == null) {
                return new Connection(socket, socket);
            }
            SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            secure.setSSLParameters(parameters);
            secure.setSoTimeout(TIMEOUT_MILLIS);
            secure.startHandshake();
            return new Connection(secure, socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Reads one HTTP/1.1 response (skipping interim 1xx ones) with its body, delimited by
     * {@code Content-Length}, chunked coding or the end of the connection.
     *
     * @return whether the connection stays open after it
     */
    static boolean readResponse(InputStream in) throws IOException {
        while (true) {
            String statusLine = readLine(in);
            if (statusLine == null) {
                throw new EOFException("the connection ended before a response");
            }
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new ProtocolException("not an HTTP/1.1 status line: " + abbreviate(statusLine));
            }
            int status = parseStatus(statusLine);
            long contentLength = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            for (int lines = 0; ; lines++) {
                String line = readLine(in);
                if (line == null) {
                    throw new EOFException("the connection ended in a response's header section");
                }
                if (line.isEmpty()) {
                    break;
                }
                if (lines == MAX_HEADER_LINES) {
                    throw new ProtocolException("more than " + MAX_HEADER_LINES + " header lines");
                }
                int colon = line.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = line.substring(0, colon).strip();
                String value = line.substring(colon + 1).strip();
                if (name.equalsIgnoreCase("Content-Length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new ProtocolException("bad Content-Length: " + abbreviate(value));
                    }
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close |= value.toLowerCase(Locale.ROOT).contains("close");
                }
            }
            if (status >= 100 && status < 200 && status != 101) {
                continue; // an interim response: the final one follows
            }
            if (status == 204 || status == 304) {
                return !close;
            }
            if (chunked) {
                skipChunked(in);
                return !close;
            }
            if (contentLength >= 0) {
                skipFully(in, contentLength);
                return !close;
            }
            in.transferTo(OutputStream.nullOutputStream()); // delimited by the end of the connection
            return false;
        }
    }

    private static int parseStatus(String statusLine) throws ProtocolException {
        int status = 0;
        for (int i = 9; i < 12; i++) {
            char c = statusLine.charAt(i);
            if (c < '0' || c > '9') {
                throw new ProtocolException("not an HTTP/1.1 status line: " + abbreviate(statusLine));
            }
            status = status * 10 + (c - '0');
        }
        return status;
    }

    private static void skipChunked(InputStream in) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("the connection ended in a chunked body");
            }
            int end = sizeLine.indexOf(';');
            String hex = (end < 0 ? sizeLine : sizeLine.substring(0, end)).strip();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0) {
                throw new ProtocolException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine(in);
                    if (trailer == null) {
                        throw new EOFException("the connection ended in a chunked body's trailer section");
                    }
                } while (!trailer.isEmpty());
                return;
            }
            skipFully(in, size);
            String crlf = readLine(in);
            if (crlf == null || !crlf.isEmpty()) {
                throw new ProtocolException("a chunk does not end with CRLF");
            }
        }
    }

    private static void skipFully(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the connection ended " + left + " bytes before the body's end");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    /** A line without its CRLF (or bare LF); {@code null} at the end of the stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new EOFException("the connection ended in a line");
            }
            if (b == '\n') {
                int length = line.length();
                if (length > 0 && line.charAt(length - 1) == '\r') {
                    line.setLength(length - 1);
                }
                return line.toString();
            }
            if (line.length() == MAX_LINE) {
                throw new ProtocolException("a response line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** The request head for {@code path}, kept alive. */
    static byte[] request(String path, String authority, String headerLines) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + authority + "\r\n" + headerLines + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }
}
