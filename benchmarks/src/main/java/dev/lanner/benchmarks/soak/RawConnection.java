package dev.lanner.benchmarks.soak;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A hostile client's raw TCP connection: writes exactly the octets given, reads an HTTP/1.1 answer
 * or notices the close, and can end with a TCP reset (SO_LINGER 0) instead of a FIN.
 */
final class RawConnection implements AutoCloseable {

    /** What the server did with a request: answered with a status, or closed (or reset) without one. */
    record Answer(int status, boolean closed, boolean timedOut) {
        static final Answer CLOSED = new Answer(0, true, false);
        static final Answer TIMED_OUT = new Answer(0, false, true);

        @Override
        public String toString() {
            return closed ? "closed without a response" : timedOut ? "no answer in time" : Integer.toString(status);
        }
    }

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawConnection(InetSocketAddress server, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(server, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(readTimeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Writes {@code octets}; false if the server has already closed (reset or broken pipe). */
    boolean write(byte[] octets) {
        try {
            out.write(octets);
            out.flush();
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    boolean write(String ascii) {
        return write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads the answer to a request with {@code method}. */
    Answer answer(String method) throws IOException {
        try {
            Http1Response response = Http1Response.read(in, method);
            return response == null ? Answer.CLOSED : new Answer(response.status(), false, false);
        } catch (SocketTimeoutException timeout) {
            return Answer.TIMED_OUT;
        } catch (EOFException | SocketException closed) {
            return Answer.CLOSED;
        }
    }

    /** True if the server closed the connection (end of stream or reset) within the read timeout. */
    boolean closedByServer() throws IOException {
        try {
            byte[] sink = new byte[8192];
            while (in.read(sink) >= 0) {
                // drain whatever is left
            }
            return true;
        } catch (SocketTimeoutException timeout) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Ends the connection with a TCP reset: SO_LINGER 0, then close. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
