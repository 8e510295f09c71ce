package dev.lanner.server.internal.http1;

import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.server.core.DataRateMeter;
import dev.lanner.server.diagnostics.RejectionReason;
import java.io.IOException;

/**
 * The request body of an HTTP/1.x request as the application reads it (Kestrel's
 * {@code Http1MessageBody}): the framing-specific part ({@link ContentLengthMessageBody},
 * {@link ChunkedMessageBody}) decodes from the connection's {@link Http1Input}; this part opens the
 * 100-continue gate on the first read, waits for input on the request-body data-rate clock, turns
 * a rejected chunk into a 400 and ends the connection's reuse when the body is cut. One object per
 * framing per connection, reset per request; used by the thread serving the request.
 */
abstract sealed class Http1MessageBody permits ContentLengthMessageBody, ChunkedMessageBody {

    /** Unread request body the server drains to keep the connection; beyond it the connection closes. */
    static final long MAX_DRAIN = 256 * 1024;

    final Http1Connection connection;
    final Http1Input input;
    final DataRateMeter rate;
    boolean complete;
    private boolean started;
    private boolean draining;

    Http1MessageBody(Http1Connection connection, DataRateMeter rate) {
        this.connection = connection;
        this.input = connection.input;
        this.rate = rate;
    }

    /** A new request's body of this framing; {@code empty}: there is nothing to read. */
    final void start(boolean empty) {
        complete = empty;
        started = false;
        draining = false;
    }

    /** Whether the application has asked for the body (its size limit is fixed from then on). */
    final boolean isStarted() {
        return started;
    }

    final boolean isComplete() {
        return complete;
    }

    /** Reads body bytes; -1 at the end of the body. */
    final int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (connection.request.isAborted()) {
            throw new RequestAbortedException("the request was aborted");
        }
        beforeRead();
        if (complete) {
            return -1;
        }
        try {
            return readData(b, off, len);
        } catch (BadRequestException e) {
            connection.request.mustClose = true;
            throw rejected(e.reason().group(), e.reason().description() + (e.detail() == null || e.detail().isEmpty() ? "" : ": " + e.detail()),
                    e.reason().statusCode());
        }
    }

    /** Bytes readable without waiting. */
    int available() {
        return 0;
    }

    /** Decodes up to {@code len} bytes of the body; -1 at its end. */
    abstract int readData(byte[] b, int off, int len) throws IOException;

    /** On the first read, before the 100 goes out: a body known to be too large is refused (413). */
    void checkDeclaredSize(Long limit) throws IOException {
    }

    /** The size limit that applies now: the request's, none while the server drains the rest. */
    final Long limit() {
        return draining ? null : connection.request.maxRequestBodySize();
    }

    final void beforeRead() throws IOException {
        if (started) {
            return;
        }
        started = true;
        checkDeclaredSize(limit());
        if (!complete) {
            connection.request.continueGate().open(connection.output);
        }
    }

    /** Waits for more input on the body-rate clock; a body cut short fails the read (400, or 408 when too slow). */
    final void fill() throws IOException {
        boolean more;
        try {
            connection.output.flush();
            rate.startWaiting();
            try {
                more = input.fill(false);
            } finally {
                rate.stopWaiting();
            }
        } catch (IOException e) {
            if (connection.timeouts.timedOut() == TimeoutReason.REQUEST_BODY_RATE) {
                throw rejected(RejectionReason.MIN_REQUEST_BODY_DATA_RATE, "Request body data rate below the minimum", 408);
            }
            // A reset or a broken pipe: the client went away mid-body. The application sees an abort (logged at
            // debug), as after a disconnect, not a failure of its own (logged at ERROR, twice, per such client).
            connection.abortConnection("connection lost while the request body was read: " + e);
            throw new RequestAbortedException("the connection was lost while the request body was read", e);
        }
        if (!more) {
            connection.request.mustClose = true;
            if (connection.timeouts.timedOut() == TimeoutReason.REQUEST_BODY_RATE) {
                throw rejected(RejectionReason.MIN_REQUEST_BODY_DATA_RATE, "Request body data rate below the minimum", 408);
            }
            if (connection.request.isAborted()) {
                throw new RequestAbortedException("the request was aborted");
            }
            throw rejected(RejectionReason.INVALID_REQUEST_BODY, "Unexpected end of request content", 400);
        }
    }

    /** A body the server refuses: reported and logged once here, then thrown to the application. */
    final BadHttpRequestException rejected(RejectionReason reason, String message, int statusCode) {
        connection.server.trace().rejected(connection.connectionId, reason, statusCode + " " + message);
        return new BadHttpRequestException(message, statusCode);
    }

    /** Whether the rest of the body is small enough to drain; a Content-Length body knows in advance. */
    boolean mayDrain() {
        return true;
    }

    /**
     * After the response: consumes what the application left of the body, without its size limit;
     * false when the connection must close instead (too much left, the client waits for a 100, the
     * body is broken).
     */
    final boolean drain() {
        if (complete) {
            return true;
        }
        if (connection.request.continueGate().holdsBody()) {
            // The client may be waiting for a 100 before sending the body: its framing is unknowable now.
            return false;
        }
        if (!mayDrain()) {
            return false;
        }
        draining = true;
        started = true;
        byte[] scratch = new byte[4096];
        long drained = 0;
        try {
            int n;
            while ((n = read(scratch, 0, scratch.length)) >= 0) {
                drained += n;
                if (drained > MAX_DRAIN) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            draining = false;
        }
    }
}
