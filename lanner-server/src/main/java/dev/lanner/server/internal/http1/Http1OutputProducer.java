package dev.lanner.server.internal.http1;

import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.server.core.DataRateMeter;
import dev.lanner.http.server.core.EndOfContent;
import dev.lanner.http.server.core.ResponseFraming;
import dev.lanner.http.server.core.ResponseState;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.LoopBufferLease;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes HTTP/1.x responses (Kestrel's {@code Http1OutputProducer}): the head as {@link ResponseFraming}
 * decided it, the body framed accordingly (Content-Length checked, chunks, raw until close), the last
 * chunk and trailers, and the flush: blocking on the connection's virtual thread, non-blocking on the
 * event loop, where what the socket does not take waits for writability (backpressure). Pipelined
 * responses collect in one buffer and go out in one write. Small bodies written before the head wait
 * in a pending buffer, so a complete response gets an automatic Content-Length. Served inline on an
 * event loop, responses are assembled in the loop's buffer ({@link LoopBufferLease}, slot
 * {@link #LOOP_OUTPUT}) while nothing of the connection's own waits, and only what the socket did
 * not take is kept. Runs on the thread serving the current request; the response data-rate meter it
 * feeds is read by the heartbeat.
 */
final class Http1OutputProducer {

    private static final Logger log = LoggerFactory.getLogger(Http1OutputProducer.class);

    private static final byte[] NO_BYTES = new byte[0];
    private static final byte[] CONTINUE_100 = AsciiStrings.ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] SERVER_HEADER = AsciiStrings.ascii("Server: Lanner\r\n");
    private static final byte[] CONNECTION_CLOSE = AsciiStrings.ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = AsciiStrings.ascii("Connection: keep-alive\r\n");
    private static final byte[] TRANSFER_ENCODING_CHUNKED = AsciiStrings.ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONTENT_LENGTH_0 = AsciiStrings.ascii("Content-Length: 0\r\n");
    /**
     * Fields RFC 9110 §6.5.1 does not allow in a trailer section (lower case), by the categories RFC 7230
     * §4.1.2 listed: message framing, routing, request modifiers (controls and conditionals),
     * authentication (including cookies), response control data, how to process the content; plus the
     * connection-specific fields (RFC 9110 §7.6.1).
     */
    private static final Set<String> FORBIDDEN_TRAILERS = Set.of(
            "content-length", "transfer-encoding", "trailer", "te", "host",
            "connection", "keep-alive", "proxy-connection", "upgrade",
            "cache-control", "expect", "max-forwards", "pragma", "range",
            "if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range",
            "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate", "set-cookie",
            "age", "expires", "date", "location", "retry-after", "vary", "warning",
            "content-encoding", "content-type", "content-range");
    /** Bodies up to this size, written before the response starts, get an automatic Content-Length. */
    private static final int AUTO_CONTENT_LENGTH_LIMIT = 8 * 1024;
    /** A write this large skips the output buffer (no copy). */
    private static final int DIRECT_WRITE_THRESHOLD = 8 * 1024;
    /** Pipelined responses go out once this much is buffered. */
    static final int BATCH_LIMIT = 32 * 1024;
    /** The loop's response output buffer, heap for its {@code array()}. */
    private static final LoopBufferLease.Slot LOOP_OUTPUT = new LoopBufferLease.Slot("http1-response-output", false);

    private final Http1Connection connection;
    private final ServerContext server;
    private final ServerLimits limits;
    private final TransportConnection transport;
    /** The transport when an event loop drives it, else null. */
    private final EventLoopConnection loop;
    private final DataRateMeter rate;
    private final ResponseFraming framing = new ResponseFraming();
    /** Where responses are assembled: in an array of the connection's own, or the loop's while served inline. */
    private final ResponseHeaderWriter out = new ResponseHeaderWriter(16);
    /** A view of {@code out}'s array, to write from. */
    private ByteBuffer outBuffer;
    /** A view of the connection's own array, which the loop's replaces for a call. */
    private ByteBuffer ownBuffer;
    /** Lends the loop's output buffer; null when no event loop drives the transport. */
    private final LoopBufferLease lease;
    private byte[] pending = NO_BYTES;
    // The current response.
    private int pendingLength;
    private EndOfContent endOfContent = EndOfContent.NONE;
    private boolean completed;
    private boolean bufferingDisabled;
    private long bodyWritten;

    Http1OutputProducer(Http1Connection connection, DataRateMeter rate) {
        this.connection = connection;
        this.server = connection.server;
        this.limits = connection.limits;
        this.transport = connection.transport;
        this.loop = transport instanceof EventLoopConnection e ? e : null;
        this.rate = rate;
        this.outBuffer = ByteBuffer.wrap(out.array());
        this.ownBuffer = outBuffer;
        this.lease = loop == null ? null : new LoopBufferLease(loop, LOOP_OUTPUT);
    }

    /** Forgets the previous response (what is buffered for the socket stays); its head resets with the request. */
    void reset() {
        endOfContent = EndOfContent.NONE;
        completed = false;
        bufferingDisabled = false;
        bodyWritten = 0;
        pendingLength = 0;
    }

    boolean headSent() {
        return connection.request.response().head().hasStarted();
    }

    boolean isCompleted() {
        return completed;
    }

    void disableBuffering() {
        bufferingDisabled = true;
    }

    /** Throws the body written before the head away (the error response replaces it). */
    void discardPending() {
        pendingLength = 0;
    }

    // --- head ---

    /** Sends the head; decides the body framing. {@code completing}: no more body will follow. */
    void commitHead(boolean completing) throws IOException {
        Http1Request request = connection.request;
        Http1Response response = request.response();
        ResponseState head = response.head();
        if (head.hasStarted()) {
            return;
        }
        head.callbacks().fireOnStarting();
        head.markStarted();
        HttpHeaders fields = head.headers();
        int status = head.statusCode();
        // One pass over the response headers finds the ones that shape framing (instead of a scan per name).
        String contentLength = null;
        String transferEncoding = null;
        String connectionHeader = null;
        boolean hasDate = false;
        boolean hasServer = false;
        for (int i = 0, n = fields.size(); i < n; i++) {
            String name = fields.nameAt(i);
            switch (name.length()) {
                case 4 -> hasDate |= name.equalsIgnoreCase("date");
                case 6 -> hasServer |= name.equalsIgnoreCase("server");
                case 10 -> {
                    if (connectionHeader == null && name.equalsIgnoreCase("connection")) {
                        connectionHeader = fields.valueAt(i);
                    }
                }
                case 14 -> {
                    if (contentLength == null && name.equalsIgnoreCase("content-length")) {
                        contentLength = fields.valueAt(i);
                    }
                }
                case 17 -> {
                    if (transferEncoding == null && name.equalsIgnoreCase("transfer-encoding")) {
                        transferEncoding = fields.valueAt(i);
                    }
                }
                default -> { }
            }
        }
        // A rejected body (413, bad chunk) or a stop: the response says the connection closes after it.
        // RFC 9110 §10.1.1: so does a final status before content held back by 100-continue (the
        // connection cannot be reused: the body's fate is unknowable).
        boolean keepAlive = request.keepAlive && !request.mustClose && !server.isStopping()
                && !request.isBodyHeldBack();
        endOfContent = framing.decide(request.version() == HttpVersion.HTTP_1_0
                        ? ResponseFraming.Protocol.HTTP_1_0 : ResponseFraming.Protocol.HTTP_1_1,
                status, request.isHead(), request.knownMethod() == KnownMethod.CONNECT,
                contentLength, transferEncoding, connectionHeader, keepAlive, completing, pendingLength,
                response.hasTrailers());
        request.keepAlive = framing.keepAlive();

        ResponseHeaderWriter o = out;
        String reason = head.reasonPhrase();
        if (reason == null) {
            o.statusLine(status);
        } else {
            o.append(AsciiStrings.ascii("HTTP/1.1 " + status + " " + sanitizeReason(reason) + "\r\n"));
        }
        if (!hasDate) {
            o.append(server.date().headerLine());
        }
        if (server.options().addServerHeader() && !hasServer) {
            o.append(SERVER_HEADER);
        }
        boolean dropTransferEncoding = framing.dropTransferEncoding();
        boolean dropContentLength = framing.dropContentLength();
        for (int i = 0, n = fields.size(); i < n; i++) {
            if ((dropTransferEncoding && fields.nameAt(i).equalsIgnoreCase("transfer-encoding"))
                    || (dropContentLength && fields.nameAt(i).equalsIgnoreCase("content-length"))) {
                continue;
            }
            // HttpHeaders checked every name and value on the way in (token, field-value characters).
            o.validatedHeader(fields.nameAt(i), fields.valueAt(i));
        }
        if (framing.addContentLength()) {
            o.header(KnownHeader.CONTENT_LENGTH, framing.contentLength());
        }
        if (framing.addChunked()) {
            o.append(TRANSFER_ENCODING_CHUNKED);
        }
        if (framing.addConnectionClose()) {
            o.append(CONNECTION_CLOSE);
        } else if (framing.addConnectionKeepAlive()) {
            o.append(CONNECTION_KEEP_ALIVE);
        }
        o.endOfHeaders();
        if (pendingLength > 0) {
            int len = pendingLength;
            pendingLength = 0;
            writeFramed(pending, 0, len);
        }
    }

    /** Sends the 101 head of an upgrade; what follows is raw bytes until the connection closes. */
    void commitUpgrade() throws IOException {
        commitHead(false);
        endOfContent = EndOfContent.CLOSE_DELIMITED;
        completed = true;
        flush();
    }

    /** RFC 9110 §10.1.1: the interim 100 (Continue) once the application asks for a held-back body. */
    void writeContinue() throws IOException {
        out.append(CONTINUE_100);
        flush();
    }

    /**
     * Answers a request the parser rejected: status, empty body, {@code Connection: close}; then
     * half-closes. Responses to earlier pipelined requests, still buffered, go out first.
     */
    void writeRejection(int status) {
        ResponseHeaderWriter o = out;
        o.statusLine(status);
        o.append(CONTENT_LENGTH_0);
        o.append(CONNECTION_CLOSE);
        o.append(server.date().headerLine());
        if (server.options().addServerHeader()) {
            o.append(SERVER_HEADER);
        }
        o.endOfHeaders();
        try {
            flush();
            transport.shutdownOutput();
        } catch (IOException | RequestAbortedException e) {
            ServerTrace.debug(log, connection.connectionId, "Connection {}: could not send the error response: {}", connection.connectionId, e.toString());
        }
    }

    private static String sanitizeReason(String reason) {
        StringBuilder sb = new StringBuilder(reason.length());
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            sb.append(c == '\t' || (c >= 0x20 && c < 0x7F) ? c : ' ');
        }
        return sb.toString();
    }

    // --- body ---

    /** Writes response body bytes (the response body stream, sendFile). */
    void write(byte[] b, int off, int len) throws IOException {
        if (connection.request.isAborted()) {
            throw new RequestAbortedException("the request was aborted");
        }
        if (completed) {
            throw new IOException("the response body is complete");
        }
        if (len == 0) {
            return;
        }
        if (!headSent()) {
            if (!bufferingDisabled && pendingLength + len <= AUTO_CONTENT_LENGTH_LIMIT
                    && connection.request.response().head().headers().get("content-length") == null) {
                if (pending.length < pendingLength + len) {
                    pending = Arrays.copyOf(pending, Math.max(AUTO_CONTENT_LENGTH_LIMIT / 4,
                            Math.min(AUTO_CONTENT_LENGTH_LIMIT, Integer.highestOneBit(pendingLength + len) << 1)));
                }
                System.arraycopy(b, off, pending, pendingLength, len);
                pendingLength += len;
                return;
            }
            commitHead(false);
        }
        writeFramed(b, off, len);
        if (bufferingDisabled) {
            flush();
        }
    }

    private void writeFramed(byte[] b, int off, int len) throws IOException {
        switch (endOfContent) {
            case NONE -> {
                if (!connection.request.isHead()) {
                    throw new IllegalStateException("writing a body is not allowed for status "
                            + connection.request.response().head().statusCode());
                }
                bodyWritten += len;
                return;
            }
            case CONTENT_LENGTH -> {
                if (bodyWritten + len > framing.contentLength()) {
                    connection.request.mustClose = true;
                    throw new IllegalStateException("Response Content-Length mismatch: too many bytes written ("
                            + (bodyWritten + len) + " of " + framing.contentLength() + ")");
                }
                appendBody(b, off, len);
            }
            case CHUNKED -> {
                out.chunkHeader(len);
                appendBody(b, off, len);
                out.crlf();
            }
            case CLOSE_DELIMITED -> appendBody(b, off, len);
        }
        bodyWritten += len;
        if (out.length() >= limits.maxResponseBufferSize()) {
            flush();
        }
    }

    private void appendBody(byte[] b, int off, int len) throws IOException {
        if (len >= DIRECT_WRITE_THRESHOLD && (loop == null || !loop.inEventLoop())) {
            flush();
            writeTransport(ByteBuffer.wrap(b, off, len));
        } else {
            out.append(b, off, len);
        }
    }

    /** Ends the response: head if unsent (with an automatic Content-Length), last chunk and trailers. */
    void complete() throws IOException {
        if (completed) {
            return;
        }
        if (!headSent()) {
            commitHead(true);
        }
        completed = true;
        switch (endOfContent) {
            case CHUNKED -> writeEndOfChunkedBody(connection.request.response().trailersOrNull());
            case CONTENT_LENGTH -> {
                if (bodyWritten < framing.contentLength()) {
                    // The client would wait for bytes that never come: close so it sees the response is cut short.
                    log.warn("Connection {}: response Content-Length mismatch: {} of {} bytes written; closing",
                            connection.connectionId, bodyWritten, framing.contentLength());
                    connection.request.mustClose = true;
                }
            }
            case CLOSE_DELIMITED -> connection.request.keepAlive = false;
            case NONE -> { }
        }
    }

    private void writeEndOfChunkedBody(HttpHeaders trailers) {
        if (trailers == null || trailers.isEmpty()) {
            ChunkedBodyEncoder.writeEndOfBody(out);
            return;
        }
        ChunkedBodyEncoder.startTrailers(out);
        for (int i = 0; i < trailers.size(); i++) {
            String name = trailers.nameAt(i);
            if (FORBIDDEN_TRAILERS.contains(name.toLowerCase(Locale.ROOT))) {
                // RFC 9110 §6.5.1 (RFC 9112 §7.1.2): a field that frames, routes or describes the
                // message is not allowed in a trailer section; it is dropped.
                ServerTrace.debug(log, connection.connectionId, "Connection {}: dropped response trailer field {}", connection.connectionId, name);
                continue;
            }
            out.header(name, trailers.valueAt(i));
        }
        out.endOfHeaders();
    }

    // --- flushing ---

    /** Bytes assembled and not yet handed to the socket. */
    int buffered() {
        return out.length();
    }

    /** Whether a write waits on the client (the response data rate applies; the loop parses no more). */
    boolean isWritePending() {
        return rate.isWaiting();
    }

    /** Hands what is buffered to the socket: blocking on a virtual thread, as much as it takes on the loop. */
    void flush() throws IOException {
        int len = out.length();
        if (len == 0) {
            return;
        }
        if (loop != null && loop.inEventLoop()) {
            // Inline on the loop: never block; what the socket does not take waits for writability.
            flushNonBlocking();
            return;
        }
        if (outBuffer.array() != out.array()) {
            outBuffer = ByteBuffer.wrap(out.array());
        }
        outBuffer.limit(len).position(0);
        writeTransport(outBuffer);
        out.reset();
    }

    /** On the loop thread: writes what the socket takes; keeps the rest. True when all is out. */
    boolean flushNonBlocking() throws IOException {
        int len = out.length();
        if (len == 0) {
            return true;
        }
        if (outBuffer.array() != out.array()) {
            outBuffer = ByteBuffer.wrap(out.array());
        }
        outBuffer.limit(len).position(0);
        int written = 0;
        int n;
        while (outBuffer.hasRemaining() && (n = loop.writeNow(outBuffer)) > 0) {
            written += n;
        }
        rate.addBytes(written);
        if (written == len) {
            out.reset();
            if (rate.isWaiting()) {
                rate.stopWaiting();
            }
            return true;
        }
        out.discardFront(written);
        // Counts as a pending write for the minimum response data rate: a client that stops
        // reading cannot park buffered responses on the server forever.
        rate.startWaiting();
        return false;
    }

    private void writeTransport(ByteBuffer buffer) throws IOException {
        int len = buffer.remaining();
        rate.startWaiting();
        try {
            transport.write(buffer);
        } catch (IOException e) {
            connection.request.markAborted("write failed: " + e.getMessage());
            throw new RequestAbortedException("the client connection failed: " + e.getMessage(), e);
        } finally {
            rate.stopWaiting();
        }
        rate.addBytes(len);
    }

    // --- the event loop's buffer ---

    /**
     * On the event loop, before an inline call: assembles into the loop's buffer from now on, when
     * nothing is buffered. Ends with {@link #takeBackLoopBuffer}.
     */
    void lendLoopBuffer() {
        if (out.length() != 0) {
            return;
        }
        if (ownBuffer.array() != out.array()) {
            ownBuffer = ByteBuffer.wrap(out.array()); // grew since: the larger array is the connection's
        }
        ByteBuffer lent = lease.lend(ownBuffer.limit(0), Http1Input.LOOP_BUFFER_SIZE);
        if (lent != ownBuffer) {
            out.useArray(lent.array(), 0);
            outBuffer = lent;
        }
    }

    /**
     * On the event loop, before it moves on or the virtual thread takes over: gives the loop's
     * buffer back, keeping what the socket did not take in the connection's own array; an own array
     * grown past the initial input size is dropped once it holds nothing. Without a lent buffer,
     * changes nothing.
     */
    void takeBackLoopBuffer() {
        if (outBuffer.array() != out.array()) {
            outBuffer = ByteBuffer.wrap(out.array()); // grew out of the loop's buffer: the connection's already
        }
        ByteBuffer kept = lease.takeBack(outBuffer.limit(out.length()).position(0), Http1Input.INITIAL_SIZE);
        if (kept == outBuffer) {
            return;
        }
        if (!kept.hasRemaining() && kept.capacity() > Http1Input.INITIAL_SIZE) {
            kept = ByteBuffer.wrap(new byte[16], 0, 0);
        }
        out.useArray(kept.array(), kept.remaining());
        outBuffer = kept;
        ownBuffer = kept;
    }

    /** Drops the pending-body buffer while the connection idles. */
    void releasePending() {
        if (pending.length > 0) {
            pending = NO_BYTES;
        }
    }
}
