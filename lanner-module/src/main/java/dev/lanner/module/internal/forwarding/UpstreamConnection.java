package dev.lanner.module.internal.forwarding;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * One keep-alive HTTP/1.1 connection from the module to a backend process. Blocking I/O: each
 * forwarded request runs on its own virtual thread, so a wait here parks that thread only.
 * The read side is a buffer the response parser and the body decoders share.
 */
final class UpstreamConnection implements Closeable {

    /** A response head larger than this is refused (502), like the server's own request-head limit. */
    static final int MAX_HEAD = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    byte[] buf = new byte[16 * 1024];
    int pos;
    int limit;
    /** Requests completed on this connection; a stale pooled connection is detected on its first read. */
    int served;
    /** The head of the response being read (reused: one response at a time per connection). */
    final ResponseHead head = new ResponseHead();
    private boolean broken;

    UpstreamConnection(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    static UpstreamConnection open(InetSocketAddress address, int connectTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, connectTimeoutMillis);
            return new UpstreamConnection(socket, socket.getInputStream(), socket.getOutputStream());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    OutputStream out() {
        return out;
    }

    /** Sets how long a read may wait (0: forever); a wait past it is a {@link SocketTimeoutException}. */
    void setReadTimeout(int millis) throws IOException {
        if (socket != null) {
            socket.setSoTimeout(millis);
        }
    }

    /** Reads the next response head into {@code head}, skipping 1xx interim responses (RFC 9110 §15.2). */
    void readHead(ResponseHead head) throws IOException {
        while (true) {
            int end;
            while ((end = ResponseHeadParser.parse(buf, pos, limit, head)) < 0) {
                if (limit - pos >= MAX_HEAD) {
                    throw new BadResponseException("response head larger than " + MAX_HEAD + " bytes");
                }
                if (fill() < 0) {
                    throw new EOFException(limit == pos ? "connection closed before a response" : "connection closed in the response head");
                }
            }
            pos = end;
            if (head.status >= 200 || head.status == 101) {
                return;
            }
        }
    }

    /** Whether nothing of a response was received yet (a closed idle connection can be retried). */
    boolean nothingReceived() {
        return pos == 0 && limit == 0;
    }

    /** Reads more bytes into the buffer, compacting or growing it; -1 at end of stream. */
    int fill() throws IOException {
        if (pos > 0 && pos == limit) {
            pos = 0;
            limit = 0;
        } else if (limit == buf.length) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            } else {
                buf = java.util.Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_HEAD * 2));
            }
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n > 0) {
            limit += n;
        }
        return n;
    }

    /** Called once a response was read completely and its framing allows another request. */
    void completed() {
        served++;
        if (pos == limit) {
            pos = 0;
            limit = 0;
        }
    }

    boolean hasUnreadBytes() {
        return pos < limit;
    }

    void markBroken() {
        broken = true;
    }

    boolean isBroken() {
        return broken;
    }

    @Override
    public void close() {
        broken = true;
        try {
            if (socket != null) {
                socket.close();
            } else {
                in.close();
                out.close();
            }
        } catch (IOException ignored) {
            // closing: nothing to do
        }
    }
}
