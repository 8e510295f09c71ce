package dev.lanner.server.internal.http1;

import dev.lanner.http.server.core.DataRateMeter;
import dev.lanner.server.diagnostics.RejectionReason;
import java.io.IOException;

/**
 * A chunked request body (RFC 9112 §7.1): the {@link ChunkedBodyDecoder} over the connection's input
 * buffer, copying chunk data straight into the reader's array; refused with 413 as soon as the
 * payload passes the request's limit. Used by the thread serving the request.
 */
final class ChunkedMessageBody extends Http1MessageBody {

    private final ChunkedBodyDecoder decoder;
    private final ChunkCopy copy = new ChunkCopy();

    ChunkedMessageBody(Http1Connection connection, DataRateMeter rate, ChunkedBodyDecoder decoder) {
        super(connection, rate);
        this.decoder = decoder;
    }

    /** A new request's chunked body. */
    void start() {
        start(false);
        if (decoder.payloadBytes() != 0 || decoder.isComplete()) {
            decoder.reset();
        }
    }

    @Override
    int readData(byte[] b, int off, int len) throws IOException {
        ChunkCopy c = copy;
        while (true) {
            if (decoder.isComplete()) {
                complete = true;
                return -1;
            }
            if (input.isEmpty()) {
                fill();
            }
            c.target = b;
            c.offset = off;
            c.copied = 0;
            // Payload never exceeds the input handed over, so the caller's array cannot overflow.
            int consumed = decoder.decode(input.array(), input.start(), Math.min(input.available(), len), c);
            input.consume(consumed);
            int n = c.copied;
            c.target = null;
            if (n > 0) {
                rate.addBytes(n);
                Long limit = limit();
                if (limit != null && decoder.payloadBytes() > limit) {
                    connection.request.mustClose = true;
                    throw rejected(RejectionReason.REQUEST_BODY_TOO_LARGE, "Request body too large: more than " + limit + " bytes", 413);
                }
                return n;
            }
            if (decoder.isComplete()) {
                complete = true;
                return -1;
            }
            if (consumed == 0 && input.available() > len) {
                // The caller's buffer is smaller than a chunk line: decode with more input.
                len = input.available();
            } else if (consumed == 0) {
                fill();
            }
        }
    }

    /** Receives decoded chunk data into the reader's array. */
    private static final class ChunkCopy implements ChunkedBodyHandler {
        byte[] target;
        int offset;
        int copied;

        @Override
        public void onData(byte[] buf, int off, int len) {
            System.arraycopy(buf, off, target, offset + copied, len);
            copied += len;
        }
    }
}
