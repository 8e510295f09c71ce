package dev.lanner.http.server.core;

/**
 * Response framing as one pure decision (Jetty's {@code HttpGenerator} with {@code EndOfContent}): from
 * the status, the request method, the protocol, the framing fields the application set and what the
 * server has buffered, it decides how the body ends, which framing fields to drop or add, and whether
 * the connection stays open. Every server asks this object, so HEAD, 1xx/204/304, CONNECT and
 * automatic Content-Length behave the same on HTTP/1.0, HTTP/1.1 and HTTP/2.
 *
 * <p>A protocol keeps one instance per connection or stream and calls {@link #decide} once per response
 * (no allocation); the accessors then describe that response. No I/O, no locking: the thread that
 * commits the response head runs it.
 */
public final class ResponseFraming {

    /** The protocol a response goes out on, as far as framing cares. */
    public enum Protocol { HTTP_1_0, HTTP_1_1, HTTP_2 }

    private EndOfContent endOfContent = EndOfContent.NONE;
    private long contentLength = -1;
    private boolean keepAlive;
    private boolean addContentLength;
    private boolean addChunked;
    private boolean dropContentLength;
    private boolean dropTransferEncoding;
    private boolean addConnectionClose;
    private boolean addConnectionKeepAlive;

    /**
     * Decides the framing of one response.
     *
     * @param protocol          the response's protocol
     * @param status            the status code
     * @param headRequest       the request was HEAD
     * @param connectRequest    the request was CONNECT
     * @param contentLength     the application's {@code Content-Length} value, or null
     * @param transferEncoding  the application's {@code Transfer-Encoding} value, or null
     * @param connectionHeader  the application's {@code Connection} value, or null (HTTP/1.x)
     * @param keepAlive         whether the connection may stay open as far as the request and the
     *                          server's state go (HTTP/1.x; ignored on HTTP/2)
     * @param completing        the application has finished: what is buffered is the whole body
     * @param bufferedLength    body bytes buffered so far (the whole body when {@code completing})
     * @param hasTrailers       trailer fields will follow the body
     * @return how the body ends
     * @throws IllegalStateException when the application's Content-Length is not a number
     */
    public EndOfContent decide(Protocol protocol, int status, boolean headRequest, boolean connectRequest,
                               String contentLength, String transferEncoding, String connectionHeader,
                               boolean keepAlive, boolean completing, long bufferedLength, boolean hasTrailers) {
        boolean http2 = protocol == Protocol.HTTP_2;
        boolean noContentStatus = status == 204 || (status >= 100 && status < 200);
        // RFC 9110 §9.3.6, §8.6: a 2xx to CONNECT starts a tunnel and has no framing fields.
        boolean connectSuccess = connectRequest && status >= 200 && status < 300;
        // RFC 9110 §6.4.1, §8.6, RFC 9112 §6.1: no Transfer-Encoding in a 1xx, 204, 304 or 2xx to CONNECT,
        // nor to an HTTP/1.0 client; RFC 9113 §8.2.2: never on HTTP/2 (a connection-specific field).
        this.dropTransferEncoding = transferEncoding != null && (http2 || noContentStatus || status == 304
                || connectSuccess || protocol == Protocol.HTTP_1_0);
        // RFC 9110 §8.6: no Content-Length in a 1xx, 204 or 2xx to CONNECT (a 304 keeps the application's);
        // RFC 9112 §6.2: never together with Transfer-Encoding, which frames the body (§6.3 rule 3).
        this.dropContentLength = contentLength != null && (noContentStatus || connectSuccess
                || (transferEncoding != null && !dropTransferEncoding));
        this.contentLength = -1;
        this.addContentLength = false;
        this.addChunked = false;
        this.keepAlive = keepAlive;
        EndOfContent end;
        if (noContentStatus || status == 304) {
            end = EndOfContent.NONE;
        } else if (connectSuccess) {
            // This server tunnels nothing: what the application writes goes out raw and the connection
            // closes after it (on HTTP/2 the stream ends instead).
            end = http2 ? EndOfContent.CHUNKED : EndOfContent.CLOSE_DELIMITED;
            this.keepAlive = false;
        } else if (contentLength != null && !dropContentLength) {
            this.contentLength = parseContentLength(contentLength);
            end = headRequest ? EndOfContent.NONE : EndOfContent.CONTENT_LENGTH;
        } else if (transferEncoding != null && !http2) {
            if (protocol == Protocol.HTTP_1_0 || !endsWithChunked(transferEncoding)) {
                // The application framed the body with a coding nothing can end: only closing ends it.
                end = headRequest ? EndOfContent.NONE : EndOfContent.CLOSE_DELIMITED;
                this.keepAlive = false;
            } else {
                end = headRequest ? EndOfContent.NONE : EndOfContent.CHUNKED;
            }
        } else if (completing && (!hasTrailers || http2)) {
            this.contentLength = bufferedLength;
            // RFC 9110 §9.3.2, §8.6: a HEAD response keeps the length its GET would have; one the
            // application wrote nothing for gets none, since 0 would contradict the GET's.
            this.addContentLength = !(headRequest && bufferedLength == 0);
            end = headRequest ? EndOfContent.NONE : EndOfContent.CONTENT_LENGTH;
        } else if (headRequest) {
            end = EndOfContent.NONE;
        } else if (protocol == Protocol.HTTP_1_1) {
            end = EndOfContent.CHUNKED;
            this.addChunked = true;
        } else if (http2) {
            end = EndOfContent.CHUNKED;
        } else {
            end = EndOfContent.CLOSE_DELIMITED;
            this.keepAlive = false;
        }
        if (connectionHeader != null && connectionHeader.regionMatches(true, 0, "close", 0, 5)) {
            this.keepAlive = false;
        }
        if (http2) {
            this.keepAlive = true;
            this.addConnectionClose = false;
            this.addConnectionKeepAlive = false;
        } else {
            boolean informational = status >= 100 && status < 200;
            this.addConnectionClose = !this.keepAlive && connectionHeader == null && !informational;
            this.addConnectionKeepAlive = this.keepAlive && protocol == Protocol.HTTP_1_0 && connectionHeader == null;
        }
        this.endOfContent = end;
        return end;
    }

    /** How the body of the last decided response ends. */
    public EndOfContent endOfContent() {
        return endOfContent;
    }

    /** The body's length when known (declared or buffered), else -1. Set for HEAD responses too. */
    public long contentLength() {
        return contentLength;
    }

    /** Whether the connection stays open after this response (always true on HTTP/2). */
    public boolean keepAlive() {
        return keepAlive;
    }

    /** The server adds {@code Content-Length: }{@link #contentLength()} (the application set none). */
    public boolean addContentLength() {
        return addContentLength;
    }

    /** The server adds {@code Transfer-Encoding: chunked} (HTTP/1.1, length unknown). */
    public boolean addChunked() {
        return addChunked;
    }

    /** The application's {@code Content-Length} must not be sent. */
    public boolean dropContentLength() {
        return dropContentLength;
    }

    /** The application's {@code Transfer-Encoding} must not be sent. */
    public boolean dropTransferEncoding() {
        return dropTransferEncoding;
    }

    /** The server adds {@code Connection: close} (HTTP/1.x, the connection closes after this response). */
    public boolean addConnectionClose() {
        return addConnectionClose;
    }

    /** The server adds {@code Connection: keep-alive} (an HTTP/1.0 client whose connection stays open). */
    public boolean addConnectionKeepAlive() {
        return addConnectionKeepAlive;
    }

    /**
     * Parses a Content-Length the application set: plain digits take a fast path, anything else must
     * parse as a non-negative number after trimming.
     *
     * @throws IllegalStateException naming the value when it is not a length
     */
    public static long parseContentLength(String value) {
        int n = value.length();
        if (n > 0 && n < 19) {
            long v = 0;
            int i = 0;
            for (; i < n; i++) {
                char c = value.charAt(i);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
            }
            if (i == n) {
                return v;
            }
        }
        try {
            long v = Long.parseLong(value.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalStateException("invalid Content-Length set by the application: " + value);
    }

    private static boolean endsWithChunked(String transferEncoding) {
        return transferEncoding.regionMatches(true, Math.max(0, transferEncoding.length() - 7), "chunked", 0, 7);
    }
}
