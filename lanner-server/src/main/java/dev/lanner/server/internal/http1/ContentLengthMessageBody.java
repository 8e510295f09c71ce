package dev.lanner.server.internal.http1;

import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.server.core.DataRateMeter;
import dev.lanner.server.diagnostics.RejectionReason;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A request body of {@code Content-Length} bytes (RFC 9112 §6.2), or none: a byte count over the
 * connection's input buffer, refused with 413 on the first read when the declared length exceeds
 * the request's limit. Used by the thread serving the request.
 */
final class ContentLengthMessageBody extends Http1MessageBody {

    private long remaining;

    ContentLengthMessageBody(Http1Connection connection, DataRateMeter rate) {
        super(connection, rate);
    }

    /** A new request's body of {@code length} bytes (0: none). */
    void start(long length) {
        start(length == 0);
        remaining = length;
    }

    /** Bytes of the body not yet read. */
    long remaining() {
        return remaining;
    }

    @Override
    void checkDeclaredSize(Long limit) throws IOException {
        if (limit != null && remaining > limit) {
            connection.request.mustClose = true;
            throw rejected(RejectionReason.REQUEST_BODY_TOO_LARGE, "Request body too large: Content-Length " + remaining
                    + " exceeds the limit of " + limit + " bytes", 413);
        }
    }

    @Override
    int readData(byte[] b, int off, int len) throws IOException {
        if (input.isEmpty()) {
            fill();
        }
        int n = (int) Math.min(Math.min(len, remaining), input.available());
        System.arraycopy(input.array(), input.start(), b, off, n);
        consume(n);
        return n;
    }

    /** Copies straight from the connection's input buffer: no intermediate array per call. */
    long transferTo(OutputStream target) throws IOException {
        beforeRead();
        long total = 0;
        while (!complete) {
            if (connection.request.isAborted()) {
                throw new RequestAbortedException("the request was aborted");
            }
            if (input.isEmpty()) {
                fill();
            }
            int n = (int) Math.min(remaining, input.available());
            int from = input.start();
            consume(n);
            target.write(input.array(), from, n);
            total += n;
        }
        return total;
    }

    @Override
    int available() {
        return complete ? 0 : (int) Math.min(remaining, input.available());
    }

    /** On the loop: the whole body is in the buffer and the application left part of it; skips the rest. */
    void skipBuffered() {
        if (!complete) {
            input.consume((int) remaining);
            remaining = 0;
            complete = true;
        }
    }

    @Override
    boolean mayDrain() {
        return remaining <= MAX_DRAIN;
    }

    private void consume(int n) {
        input.consume(n);
        remaining -= n;
        rate.addBytes(n);
        if (remaining == 0) {
            complete = true;
        }
    }
}
