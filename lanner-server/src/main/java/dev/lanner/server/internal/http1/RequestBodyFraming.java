package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.HttpCharacters.isTokenChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isWhitespace;

/**
 * Decides how a request's body is delimited (RFC 9112 §6.3) from its method, version and its
 * Content-Length and Transfer-Encoding field lines. The connection layer feeds every such line
 * while the header section is parsed, then calls {@link #decide} once. One instance per
 * connection, {@link #reset()} per request; nothing is allocated. Not thread-safe: used by the
 * thread reading the request head (the event loop inline, else the connection's virtual thread).
 *
 * <p>The rules, in the order applied:
 * <ol>
 *   <li>Transfer-Encoding in an HTTP/1.0 request: the framing is faulty (RFC 9112 §6.1); rejected
 *       with 400 rather than processed and closed, since a 1.0 peer cannot have meant it.</li>
 *   <li>Transfer-Encoding with Content-Length: rejected (RFC 9112 §6.3 rule 3 allows rejecting,
 *       and at the edge reject is the only safe choice: it is the core smuggling vector).</li>
 *   <li>chunked more than once: 400 (RFC 9112 §6.1: a sender MUST NOT apply it twice).</li>
 *   <li>Transfer-Encoding whose final coding is not chunked: 400 (RFC 9112 §6.3 rule 4, MUST);
 *       this covers {@code chunked, identity}, {@code xchunked} and an empty value.</li>
 *   <li>Any coding besides chunked (e.g. {@code gzip, chunked}): 501, since this server decodes
 *       no other transfer coding (RFC 9112 §6.1: SHOULD respond 501).</li>
 *   <li>CONNECT: no content (RFC 9110 §9.3.6), so chunked or a non-zero length is rejected.</li>
 *   <li>Otherwise chunked, or Content-Length, or no body: a request without either has none
 *       (RFC 9112 §6.3 rule 7), whatever the method.</li>
 * </ol>
 * Content-Length syntax, and differing values across lines, are rejected as soon as seen
 * ({@link ContentLength}). The body size limit (413) is not applied here: the application may
 * change it per request, so the connection layer checks it when the body is read.
 */
public final class RequestBodyFraming {

    /** How the body is delimited. */
    public enum Kind {
        /** No body. */
        NONE,
        /** Exactly {@link #contentLength()} bytes follow (maybe 0). */
        CONTENT_LENGTH,
        /** A chunked body follows; decode it with {@link ChunkedBodyDecoder}. */
        CHUNKED
    }

    private static final byte[] CHUNKED = AsciiStrings.ascii("chunked");

    private long contentLength;
    private boolean transferEncoding;
    private int chunkedCount;
    private boolean lastCodingChunked;
    private boolean otherCoding;

    /** A framing with no field seen. */
    public RequestBodyFraming() {
        reset();
    }

    /** Forgets the previous request's fields. */
    public void reset() {
        contentLength = -1;
        transferEncoding = false;
        chunkedCount = 0;
        lastCodingChunked = false;
        otherCoding = false;
    }

    /**
     * Records one Content-Length field line.
     *
     * @throws BadRequestException when invalid or different from an earlier value
     */
    public void addContentLength(byte[] buf, int start, int end) {
        long value = ContentLength.parse(buf, start, end);
        if (contentLength >= 0 && contentLength != value) {
            throw new BadRequestException(RequestRejectionReason.MULTIPLE_CONTENT_LENGTH,
                    contentLength + " and " + value);
        }
        contentLength = value;
    }

    /**
     * Records one Transfer-Encoding field line: a comma-separated list of codings (RFC 9112 §6.1),
     * matched case-insensitively; empty list members are ignored (RFC 9110 §5.6.1). Lines add up
     * in order, as if joined with commas.
     *
     * @throws BadRequestException {@link RequestRejectionReason#INVALID_TRANSFER_ENCODING} when a
     *         member is not a token, or is chunked with parameters
     */
    public void addTransferEncoding(byte[] buf, int start, int end) {
        transferEncoding = true;
        int i = start;
        while (i < end) {
            byte b = buf[i];
            if (b == ',' || isWhitespace(b)) {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < end && isTokenChar(buf[i])) {
                i++;
            }
            if (i == nameStart) {
                throw invalidCoding(buf, start, end);
            }
            int nameEnd = i;
            while (i < end && isWhitespace(buf[i])) {
                i++;
            }
            boolean parameters = i < end && buf[i] == ';';
            if (parameters) {
                // Only codings we reject carry parameters; skip them to the next member.
                int comma = AsciiStrings.indexOf(buf, i, end, (byte) ',');
                i = comma < 0 ? end : comma;
            } else if (i < end && buf[i] != ',') {
                throw invalidCoding(buf, start, end);
            }
            boolean chunked = AsciiStrings.equalsIgnoreCase(buf, nameStart, nameEnd, CHUNKED);
            if (chunked) {
                if (parameters) {
                    throw invalidCoding(buf, start, end);
                }
                chunkedCount++;
            } else {
                otherCoding = true;
            }
            lastCodingChunked = chunked;
        }
    }

    /**
     * Applies RFC 9112 §6.3 to what was recorded.
     *
     * @throws BadRequestException for every rejected combination listed on this class
     */
    public Kind decide(KnownMethod method, HttpVersion version) {
        if (transferEncoding) {
            if (version == HttpVersion.HTTP_1_0) {
                throw new BadRequestException(RequestRejectionReason.TRANSFER_ENCODING_IN_HTTP_1_0);
            }
            if (contentLength >= 0) {
                throw new BadRequestException(
                        RequestRejectionReason.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
            }
            if (chunkedCount > 1) {
                throw new BadRequestException(RequestRejectionReason.INVALID_TRANSFER_ENCODING,
                        "chunked applied more than once");
            }
            if (!lastCodingChunked) {
                throw new BadRequestException(RequestRejectionReason.CHUNKED_NOT_FINAL_ENCODING);
            }
            if (otherCoding) {
                throw new BadRequestException(RequestRejectionReason.UNSUPPORTED_TRANSFER_ENCODING);
            }
            if (method == KnownMethod.CONNECT) {
                throw new BadRequestException(RequestRejectionReason.CONTENT_NOT_ALLOWED, "CONNECT");
            }
            return Kind.CHUNKED;
        }
        if (contentLength >= 0) {
            if (method == KnownMethod.CONNECT && contentLength > 0) {
                throw new BadRequestException(RequestRejectionReason.CONTENT_NOT_ALLOWED, "CONNECT");
            }
            return Kind.CONTENT_LENGTH;
        }
        return Kind.NONE;
    }

    /** The Content-Length recorded, or -1 when none was. */
    public long contentLength() {
        return contentLength;
    }

    /** Whether a Transfer-Encoding line was recorded. */
    public boolean hasTransferEncoding() {
        return transferEncoding;
    }

    private static BadRequestException invalidCoding(byte[] buf, int start, int end) {
        return new BadRequestException(RequestRejectionReason.INVALID_TRANSFER_ENCODING,
                AsciiStrings.excerpt(buf, start, end));
    }
}
