package dev.lanner.server.e2e;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A client that writes exact bytes on a plain {@link Socket} and reads responses byte by byte, so
 * tests can assert status lines, field lines and body framing exactly. Every read is bounded by a
 * socket timeout: a test fails instead of hanging.
 */
public final class RawConnection implements AutoCloseable {

    /** The longest any single read waits. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private ByteArrayOutputStream recording;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawConnection open(String host, int port) throws IOException {
        return open(host, port, s -> { });
    }

    /** Opens a connection; {@code configure} runs before connecting (socket buffer sizes must be set then). */
    public static RawConnection open(String host, int port, Consumer<Socket> configure) throws IOException {
        Socket socket = new Socket();
        try {
            configure.accept(socket);
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public Socket socket() {
        return socket;
    }

    /** Sends {@code text} as ISO-8859-1 bytes, in one write. */
    public RawConnection send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response to a request that is not HEAD. */
    public RawResponse readResponse() throws IOException {
        return readResponse(false);
    }

    /** Reads one response; {@code toHead}: the request was HEAD, so no body follows whatever the head says. */
    public RawResponse readResponse(boolean toHead) throws IOException {
        recording = new ByteArrayOutputStream();
        try {
            String head = readHead();
            String[] lines = head.split("\r\n");
            String statusLine = lines[0];
            List<String[]> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.add(new String[] {lines[i].substring(0, colon), lines[i].substring(colon + 1).strip()});
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            RawResponse partial = new RawResponse(head, statusLine, status, headers, new byte[0], List.of(), "");
            if (toHead || status < 200 || status == 204 || status == 304) {
                return partial.withRaw(text(recording.toByteArray()));
            }
            String te = partial.header("Transfer-Encoding");
            String cl = partial.header("Content-Length");
            byte[] body;
            List<String[]> trailers = new ArrayList<>();
            if (te != null && te.toLowerCase().endsWith("chunked")) {
                body = readChunked(trailers);
            } else if (cl != null) {
                body = readExactly(Integer.parseInt(cl));
            } else {
                body = readToEnd();
            }
            return new RawResponse(head, statusLine, status, headers, body, trailers, text(recording.toByteArray()));
        } finally {
            recording = null;
        }
    }

    /** Reads up to and including the blank line that ends a head; returns it without the final CRLF CRLF. */
    public String readHead() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!(sb.length() >= 4 && sb.substring(sb.length() - 4).equals("\r\n\r\n"))) {
            int b = read();
            if (b < 0) {
                throw new EOFException("connection closed after " + sb.length() + " bytes of a response head: "
                        + sb);
            }
            sb.append((char) b);
        }
        return sb.substring(0, sb.length() - 4);
    }

    private byte[] readChunked(List<String[]> trailers) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt(semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon), 16);
            if (size == 0) {
                for (String line = readLine(); !line.isEmpty(); line = readLine()) {
                    int colon = line.indexOf(':');
                    trailers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
                }
                return body.toByteArray();
            }
            body.write(readExactly(size));
            String end = readLine();
            if (!end.isEmpty()) {
                throw new IOException("chunk not followed by CRLF: '" + end + "'");
            }
        }
    }

    private String readLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!(sb.length() >= 2 && sb.charAt(sb.length() - 2) == '\r' && sb.charAt(sb.length() - 1) == '\n')) {
            int b = read();
            if (b < 0) {
                throw new EOFException("connection closed inside a line: " + sb);
            }
            sb.append((char) b);
        }
        return sb.substring(0, sb.length() - 2);
    }

    public byte[] readExactly(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("connection closed after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        if (recording != null) {
            recording.write(b, 0, n);
        }
        return b;
    }

    private int read() throws IOException {
        int b = in.read();
        if (b >= 0 && recording != null) {
            recording.write(b);
        }
        return b;
    }

    /** Reads until the server closes (a reset counts as closed); fails after {@link #READ_TIMEOUT}. */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                all.write(buf, 0, n);
                if (recording != null) {
                    recording.write(buf, 0, n);
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + READ_TIMEOUT
                    + " (received " + all.size() + " bytes: " + text(all.toByteArray()) + ")");
        } catch (SocketException e) {
            // connection reset: closed too
        }
        return all.toByteArray();
    }

    /** Reads what the server sends until it closes or a response head is complete (whichever comes first). */
    public byte[] readToEndOrResponse() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try {
            int b;
            while ((b = in.read()) >= 0) {
                all.write(b);
                byte[] sofar = all.toByteArray();
                if (text(sofar).endsWith("\r\n\r\n")) {
                    break;
                }
            }
        } catch (SocketException e) {
            // reset: closed
        }
        return all.toByteArray();
    }

    /** The rest of the stream as text, once the server closed the connection. */
    public String readToEndText() throws IOException {
        return text(readToEnd());
    }

    /** Whether the server closed the connection (end of stream or reset) with nothing more to read, within {@code within}. */
    public boolean isClosedByServer(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            }
        }
    }

    /**
     * Whether the server answered (any byte, e.g. a 408) or closed within {@code within}. Consumes
     * at most one byte: for a caller that only needs to know the server has given up.
     */
    public boolean serverRespondedOrClosed(Duration within) throws IOException {
        socket.setSoTimeout((int) within.toMillis());
        try {
            in.read();
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            }
        }
    }

    /** Sends a FIN: the server sees end of stream while this side can still read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
