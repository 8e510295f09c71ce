package dev.lanner.platform.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.server.core.EndOfContent;
import dev.lanner.http.server.core.FileSender;
import dev.lanner.http.server.core.ResponseFraming;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The response body of one platform request (the role of Kestrel's {@code Http1OutputProducer}): it
 * holds up to {@link #LIMIT} bytes before the head goes out, so that a response that fits is sent with
 * a {@code Content-Length}; beyond that, or once flushed, it streams (chunked on HTTP/1.1). How the body
 * is framed is {@link ResponseFraming}'s decision; this class only translates it into the length that
 * {@code HttpExchange.sendResponseHeaders} understands (&gt;0 fixed, 0 "unknown", -1 none).
 * Used by the request's thread only.
 */
final class BufferedResponseBody extends OutputStream implements HttpResponseBodyFeature {

    /** Response bytes held back before the head is sent. */
    static final int LIMIT = 16 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    private enum State {
        /** The head has not gone out; written bytes are held (a HEAD response only counts them). */
        HOLDING,
        /** The head is out and the body goes straight to the JDK's stream. */
        STREAMING,
        /** The head is out and the response has no body on the wire (HEAD, 204, 304, length 0). */
        NO_BODY,
        /** {@link #complete()} ran: further writes fail. */
        COMPLETED
    }

    private final PlatformExchange owner;
    private final HttpExchange exchange;
    private final DefaultHttpResponseFeature response;
    private final ResponseFraming framing = new ResponseFraming();
    private final boolean head;
    private final boolean addServerHeader;
    private State state = State.HOLDING;
    /** Grown as bytes arrive, up to LIMIT: a 13-byte answer does not cost 16 KiB. */
    private byte[] held = NO_BYTES;
    private int count;
    private boolean bufferingDisabled;
    private OutputStream out;

    BufferedResponseBody(PlatformExchange owner, HttpExchange exchange, DefaultHttpResponseFeature response,
                         boolean head, boolean addServerHeader) {
        this.owner = owner;
        this.exchange = exchange;
        this.response = response;
        this.head = head;
        this.addServerHeader = addServerHeader;
    }

    /** Whether the connection may carry another request once this response is complete. */
    boolean keepsConnection() {
        return state == State.COMPLETED && framing.keepAlive();
    }

    /** Forgets the held bytes (the response is replaced by an error response before its head went out). */
    void discard() {
        count = 0;
    }

    // --- HttpResponseBodyFeature ---

    @Override
    public OutputStream stream() {
        return this;
    }

    @Override
    public void start() throws IOException {
        owner.checkAborted();
        commit();
        if (state == State.HOLDING) {
            sendHead(false);
        }
        flushOut();
    }

    @Override
    public void complete() throws IOException {
        if (state == State.COMPLETED) {
            return;
        }
        commit();
        if (state == State.HOLDING) {
            sendHead(true);
        }
        State was = state;
        state = State.COMPLETED;
        if (was == State.NO_BODY) {
            return;   // the JDK ended the exchange when it sent a head without body
        }
        try {
            if (!framing.keepAlive() && framing.endOfContent() != EndOfContent.CHUNKED) {
                // The connection closes after this response: send it without draining an unread body.
                // (Closing a chunked body is the only way to write its last chunk; the JDK then drains.)
                out.flush();
            } else {
                out.close();
            }
        } catch (IOException e) {
            owner.connectionFailed();
            throw e;
        }
    }

    @Override
    public void sendFile(Path file, long offset, long count) throws IOException {
        FileSender.send(file, offset, count, this::write);
    }

    @Override
    public void disableBuffering() {
        bufferingDisabled = true;
    }

    // --- OutputStream ---

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        owner.checkAborted();
        if (state == State.COMPLETED) {
            throw new IOException("the response body is complete");
        }
        commit();
        if (state == State.HOLDING) {
            if (!bufferingDisabled && len <= LIMIT - count) {
                hold(b, off, len);
                return;
            }
            sendHead(false);
        }
        writeOut(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        owner.checkAborted();
        if (state == State.COMPLETED) {
            return;
        }
        commit();
        if (state == State.HOLDING) {
            sendHead(false);
        }
        flushOut();
    }

    private void hold(byte[] b, int off, int len) {
        if (!head) {
            if (count + len > held.length) {
                held = Arrays.copyOf(held, Math.min(LIMIT, Math.max(count + len, 2 * held.length)));
            }
            System.arraycopy(b, off, held, count, len);
        }
        // A HEAD response only counts: its length is the Content-Length a GET would get.
        count += len;
    }

    /** Runs the {@code onStarting} callbacks and freezes the head; the head itself may still be held. */
    private void commit() throws IOException {
        response.fireOnStarting();
    }

    /**
     * Sends status and headers, framed as {@link ResponseFraming} decides, then the held bytes.
     * {@code completing}: the application is done, so the held bytes are the whole body.
     */
    private void sendHead(boolean completing) throws IOException {
        owner.checkAborted();
        HttpHeaders headers = response.headers();
        int status = response.statusCode();
        String contentLength = headers.get("Content-Length");
        // The JDK server tunnels nothing, so CONNECT is framed like any other method.
        EndOfContent end = framing.decide(owner.protocol(), status, head, false, contentLength,
                headers.get("Transfer-Encoding"), headers.get("Connection"), owner.keepAlive(), completing, count, false);
        Headers target = exchange.getResponseHeaders();
        if (headers.contains("Connection")) {
            target.remove("Connection");   // the JDK preset one for HTTP/1.0; the application's wins
        }
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.nameAt(i);
            // The JDK writes the framing fields itself, from the length given to sendResponseHeaders.
            if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                target.add(name, headers.valueAt(i));
            }
        }
        if (framing.addConnectionClose()) {
            // The JDK closes after a "Connection: close" request without saying so; say it (RFC 9112 §9.6).
            target.set("Connection", "close");
            target.remove("Keep-Alive");
        }
        if (addServerHeader && !headers.contains("Server")) {
            target.set("Server", "Lanner");
        }
        long length = switch (end) {
            case NONE -> {
                // No body on the wire: HEAD and 304 keep their Content-Length (RFC 9110 §9.3.2, §8.6),
                // which the JDK leaves to the handler.
                if (contentLength != null && !framing.dropContentLength()) {
                    target.set("Content-Length", contentLength.trim());
                } else if (framing.addContentLength()) {
                    target.set("Content-Length", Long.toString(framing.contentLength()));
                }
                yield -1;
            }
            case CONTENT_LENGTH -> framing.contentLength() == 0 ? -1 : framing.contentLength();
            // 0 is the JDK's "length unknown": chunked on HTTP/1.1, closed after the body on HTTP/1.0.
            case CHUNKED, CLOSE_DELIMITED -> 0;
        };
        try {
            exchange.sendResponseHeaders(status, length);
        } catch (IOException e) {
            owner.connectionFailed();
            throw e;
        }
        out = exchange.getResponseBody();
        state = length == -1 ? State.NO_BODY : State.STREAMING;
        int n = count;
        count = 0;
        if (n > 0) {
            writeOut(held, 0, n);
        }
    }

    private void writeOut(byte[] b, int off, int len) throws IOException {
        if (state != State.STREAMING || len == 0) {
            return;
        }
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            // The client is gone (or the body overran its Content-Length): the request is over.
            owner.connectionFailed();
            throw e;
        }
    }

    private void flushOut() throws IOException {
        if (state != State.STREAMING) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            owner.connectionFailed();
            throw e;
        }
    }
}
