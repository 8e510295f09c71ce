package dev.lanner.platform.internal;

import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.HttpMaxRequestBodySizeFeature;
import dev.lanner.http.server.core.SynchronousIO;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The request body of one platform request as the application reads it: the JDK's body stream (which
 * decodes the Content-Length or chunked framing) counted against the max request body size — 413 at
 * the first read when the declared length is over it, else as soon as the bytes read are. It is also
 * the request's {@link HttpMaxRequestBodySizeFeature}, the limit being settable until the first read.
 * Every read is refused while synchronous I/O is disallowed, and fails once the request is aborted.
 * Used by the request's thread only.
 */
final class LimitedRequestBody extends InputStream implements HttpMaxRequestBodySizeFeature {

    private final PlatformExchange owner;
    private final InputStream in;
    /** The Content-Length the client declared, or -1 (chunked, or no body). */
    private final long declaredLength;
    private Long limit;
    private boolean started;
    private long read;

    LimitedRequestBody(PlatformExchange owner, InputStream in, long declaredLength, Long limit) {
        this.owner = owner;
        this.in = in;
        this.declaredLength = declaredLength;
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        SynchronousIO.checkAllowed(owner.allowSynchronousIO());
        owner.checkAborted();
        if (!started) {
            started = true;
            if (limit != null && declaredLength > limit) {
                throw tooLarge();
            }
        }
        int n;
        try {
            n = in.read(b, off, len);
        } catch (IOException e) {
            if (owner.isAborted()) {
                throw new RequestAbortedException("the request was aborted", e);
            }
            // The JDK reports a malformed chunk and a vanished client alike: the request is unusable.
            owner.closeConnectionAfterResponse();
            throw new BadHttpRequestException("The request body could not be read: " + e.getMessage(), 400);
        }
        if (n > 0) {
            read += n;
            if (limit != null && read > limit) {
                throw tooLarge();
            }
        }
        return n;
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    private BadHttpRequestException tooLarge() {
        // The rest of the body stays unread: the connection cannot carry another request.
        owner.closeConnectionAfterResponse();
        return new BadHttpRequestException("Request body too large. The max request body size is " + limit + " bytes.", 413);
    }

    // --- HttpMaxRequestBodySizeFeature ---

    @Override
    public boolean isReadOnly() {
        return started;
    }

    @Override
    public Long maxRequestBodySize() {
        return limit;
    }

    @Override
    public void setMaxRequestBodySize(Long bytes) {
        if (started) {
            throw new IllegalStateException("the request body is already being read");
        }
        limit = bytes;
    }
}
