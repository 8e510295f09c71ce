package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.HttpCharacters.isDigit;
import static dev.lanner.server.internal.http1.HttpCharacters.isHexDigit;
import static dev.lanner.server.internal.http1.HttpCharacters.isPathChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isQueryChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isTokenChar;

/**
 * The HTTP/1.x request head parser: request line (RFC 9112 §3) and header section (§5). Pure:
 * it reads a byte range and calls back a {@link RequestLineHandler} and a {@link HeaderHandler};
 * it never allocates a String, never copies and never touches I/O. One instance per connection,
 * reused for every request. Not thread-safe: used by whichever thread serves the connection at the
 * time (the event loop inline, else the connection's virtual thread).
 *
 * <h2>Incremental input</h2>
 * Both methods consume only complete lines. The caller keeps the unconsumed bytes and, when more
 * input arrives, calls again with a range that starts with them. Limits are enforced on
 * incomplete input too, so the caller never has to buffer more than the limits allow.
 *
 * <h2>Line terminators</h2>
 * Lines end with CRLF. RFC 9112 §2.2 lets a recipient also accept a bare LF; this parser does
 * not, and rejects it with {@link RequestRejectionReason#BARE_LF} (400), in the request line, the
 * header section, chunk lines and trailers alike. A server at the edge must frame messages
 * exactly as any hop behind it will, and bare-LF leniency is a known source of such
 * disagreement (request smuggling); Kestrel, which accepts bare LF since .NET 7, is moving to
 * reject it by default. A CR not followed by LF is rejected everywhere: as
 * {@link RequestRejectionReason#BARE_CR}, or as {@code INVALID_REQUEST_LINE} when it sits where
 * the method token should be (that check runs on incomplete input, before any line end is seen).
 *
 * <h2>Request line</h2>
 * {@code method SP request-target SP HTTP-version CRLF} with exactly one SP between parts
 * (RFC 9112 §3: no tabs, no runs of spaces). The limit {@link Http1Limits#maxRequestLineLength()}
 * counts the whole line <em>including</em> its CRLF (as Kestrel does): with the default 8192, a
 * line of 8190 bytes plus CRLF is accepted and one byte more gets 414. Empty lines received before
 * the request line are ignored (RFC 9112 §2.2 SHOULD) but count toward the same limit, so they
 * cannot be streamed forever.
 */
public final class HttpRequestParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte[] HTTP_SCHEME = AsciiStrings.ascii("http://");
    private static final byte[] HTTPS_SCHEME = AsciiStrings.ascii("https://");

    private final int maxRequestLineLength;
    private final FieldSectionParser headers;
    private final RequestLine requestLine = new RequestLine();

    /** A parser with {@link Http1Limits#defaults()}. */
    public HttpRequestParser() {
        this(Http1Limits.defaults());
    }

    /** A parser enforcing {@code limits}. */
    public HttpRequestParser(Http1Limits limits) {
        this.maxRequestLineLength = limits.maxRequestLineLength();
        this.headers = new FieldSectionParser(limits.maxHeaderBytes(), limits.maxHeaderCount(),
                RequestRejectionReason.HEADERS_TOO_LARGE, RequestRejectionReason.TOO_MANY_HEADERS);
    }

    /**
     * Parses the request line at the start of {@code [start, end)} and, when it is complete,
     * calls {@code handler} once and prepares for the header section.
     *
     * @return the index just past the request line's CRLF, or -1 if the line is not complete
     * @throws BadRequestException for a malformed line, a limit exceeded (also on incomplete
     *         input), or an unsupported version
     */
    public int parseRequestLine(byte[] buf, int start, int end, RequestLineHandler handler) {
        int available = end - start;
        int limit = available > maxRequestLineLength ? start + maxRequestLineLength : end;
        int pos = start;
        while (true) {
            int lf = AsciiStrings.indexOf(buf, pos, limit, LF);
            int stop = lf < 0 ? limit : lf;
            // Reject what cannot start a request line (a TLS handshake on a plain port, binary
            // noise) as soon as it is seen rather than waiting for a line end that may never come.
            checkMethodPrefix(buf, pos, stop);
            if (lf < 0) {
                if (available >= maxRequestLineLength) {
                    throw new BadRequestException(RequestRejectionReason.REQUEST_LINE_TOO_LONG,
                            "more than " + maxRequestLineLength + " bytes");
                }
                return -1;
            }
            if (lf == pos || buf[lf - 1] != CR) {
                throw new BadRequestException(RequestRejectionReason.BARE_LF);
            }
            if (lf == pos + 1) {
                // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the
                // request-line (some clients send a CRLF after a POST body).
                pos = lf + 1;
                continue;
            }
            parseLine(buf, pos, lf - 1, handler);
            headers.reset();
            return lf + 1;
        }
    }

    /**
     * Parses as many complete header lines of {@code [start, end)} as there are, calling
     * {@code handler} for each, and stops after the empty line that ends the section.
     *
     * @return the index just past the last consumed line; all bytes before it may be discarded
     * @throws BadRequestException see {@link FieldSectionParser}
     * @see #isHeaderSectionComplete()
     */
    public int parseHeaders(byte[] buf, int start, int end, HeaderHandler handler) {
        return headers.parse(buf, start, end, handler);
    }

    /** Whether the empty line ending the header section has been consumed. */
    public boolean isHeaderSectionComplete() {
        return headers.isComplete();
    }

    /** Header field lines reported so far for the current request. */
    public int headerCount() {
        return headers.fieldCount();
    }

    /**
     * Forgets the header section in progress. {@link #parseRequestLine} does this on success, so
     * a caller needs it only to abandon a request part way.
     */
    public void reset() {
        headers.reset();
    }

    /** The method token must run up to an SP; anything else cannot become a request line. */
    private static void checkMethodPrefix(byte[] buf, int pos, int stop) {
        for (int i = pos; i < stop; i++) {
            byte b = buf[i];
            if (b == SP) {
                if (i == pos) {
                    throw new BadRequestException(RequestRejectionReason.INVALID_REQUEST_LINE,
                            "empty method");
                }
                return;
            }
            if (!isTokenChar(b)) {
                if (b == CR && i == pos && i + 1 == stop) {
                    return; // the first half of an empty line, or of a bare CR: decided later
                }
                throw new BadRequestException(RequestRejectionReason.INVALID_REQUEST_LINE,
                        "method is not a token: " + AsciiStrings.excerpt(buf, pos, i + 1));
            }
        }
    }

    private void parseLine(byte[] buf, int lineStart, int cr, RequestLineHandler handler) {
        // The method was checked as a token running up to an SP by checkMethodPrefix.
        int methodEnd = AsciiStrings.indexOf(buf, lineStart, cr, SP);
        if (methodEnd < 0) {
            throw new BadRequestException(RequestRejectionReason.INVALID_REQUEST_LINE,
                    AsciiStrings.excerpt(buf, lineStart, cr));
        }
        int targetStart = methodEnd + 1;
        int targetEnd = AsciiStrings.indexOf(buf, targetStart, cr, SP);
        if (targetEnd < 0) {
            // "GET /" alone is HTTP/0.9, which is not supported; it is not a valid 1.x line.
            throw new BadRequestException(RequestRejectionReason.INVALID_REQUEST_LINE,
                    "no HTTP-version");
        }
        if (targetEnd == targetStart) {
            throw new BadRequestException(RequestRejectionReason.INVALID_REQUEST_LINE,
                    "empty request-target or more than one SP");
        }
        KnownMethod method = KnownMethod.match(buf, lineStart, methodEnd);
        parseTarget(buf, targetStart, targetEnd, method);
        HttpVersion version = parseVersion(buf, targetEnd + 1, cr);
        requestLine.set(buf, method, lineStart, methodEnd, targetStart, targetEnd, version);
        handler.onRequestLine(requestLine);
    }

    /** RFC 9112 §2.3: HTTP-version = "HTTP" "/" DIGIT "." DIGIT, case-sensitive. */
    private static HttpVersion parseVersion(byte[] buf, int start, int end) {
        if (end - start == 8 && buf[start] == 'H' && buf[start + 1] == 'T'
                && buf[start + 2] == 'T' && buf[start + 3] == 'P' && buf[start + 4] == '/'
                && isDigit(buf[start + 5]) && buf[start + 6] == '.' && isDigit(buf[start + 7])) {
            if (buf[start + 5] == '1') {
                if (buf[start + 7] == '1') {
                    return HttpVersion.HTTP_1_1;
                }
                if (buf[start + 7] == '0') {
                    return HttpVersion.HTTP_1_0;
                }
            }
            throw new BadRequestException(RequestRejectionReason.UNSUPPORTED_HTTP_VERSION,
                    AsciiStrings.excerpt(buf, start, end));
        }
        if (AsciiStrings.indexOf(buf, start, end, CR) >= 0) {
            throw new BadRequestException(RequestRejectionReason.BARE_CR);
        }
        throw new BadRequestException(RequestRejectionReason.INVALID_REQUEST_LINE,
                "invalid HTTP-version: " + AsciiStrings.excerpt(buf, start, end));
    }

    private void parseTarget(byte[] buf, int start, int end, KnownMethod method) {
        if (method == KnownMethod.CONNECT) {
            // RFC 9112 §3.2.3: CONNECT uses authority-form, host and port, and only it.
            if (!UriAuthority.isValid(buf, start, end, true)) {
                throw invalidTarget(buf, start, end, "CONNECT needs authority-form host:port");
            }
            requestLine.setTarget(RequestTargetForm.AUTHORITY, start, end, end, end, false, end,
                    end, false);
            return;
        }
        byte first = buf[start];
        if (first == '/') {
            parsePathAndQuery(buf, start, end, RequestTargetForm.ORIGIN, start, start);
            return;
        }
        if (first == '*' && end == start + 1) {
            // RFC 9112 §3.2.4: asterisk-form is only used for a server-wide OPTIONS request.
            if (method != KnownMethod.OPTIONS) {
                throw invalidTarget(buf, start, end, "asterisk-form is only for OPTIONS");
            }
            requestLine.setTarget(RequestTargetForm.ASTERISK, end, end, end, end, false, end, end,
                    false);
            return;
        }
        // RFC 9112 §3.2.2: a server MUST accept absolute-form. Only http and https URIs can
        // name a resource of this server; other schemes, and authority-form for any method but
        // CONNECT, are rejected.
        int authorityStart = afterScheme(buf, start, end);
        if (authorityStart < 0) {
            throw invalidTarget(buf, start, end, "not origin-form or absolute-form");
        }
        int authorityEnd = authorityStart;
        while (authorityEnd < end && buf[authorityEnd] != '/' && buf[authorityEnd] != '?') {
            authorityEnd++;
        }
        if (!UriAuthority.isValid(buf, authorityStart, authorityEnd, false)) {
            throw invalidTarget(buf, start, end, "invalid authority");
        }
        parsePathAndQuery(buf, authorityEnd, end, RequestTargetForm.ABSOLUTE, authorityStart,
                authorityEnd);
    }

    private static int afterScheme(byte[] buf, int start, int end) {
        if (end - start >= HTTP_SCHEME.length
                && AsciiStrings.equalsIgnoreCase(buf, start, start + HTTP_SCHEME.length, HTTP_SCHEME)) {
            return start + HTTP_SCHEME.length;
        }
        if (end - start >= HTTPS_SCHEME.length && AsciiStrings.equalsIgnoreCase(buf, start,
                start + HTTPS_SCHEME.length, HTTPS_SCHEME)) {
            return start + HTTPS_SCHEME.length;
        }
        return -1;
    }

    /**
     * Validates {@code path ["?" query]} starting at {@code start} (empty or "/..."). The path's
     * percent-encoding must be well formed, since the server decodes it to route; the query is
     * only checked for its bytes and handed to the application raw.
     */
    private void parsePathAndQuery(byte[] buf, int start, int end, RequestTargetForm form,
                                   int authorityStart, int authorityEnd) {
        boolean percent = false;
        int i = start;
        while (i < end) {
            byte b = buf[i];
            if (b == '?') {
                break;
            }
            if (!isPathChar(b)) {
                throw invalidTargetByte(buf, i);
            }
            if (b == '%') {
                if (i + 2 >= end || !isHexDigit(buf[i + 1]) || !isHexDigit(buf[i + 2])) {
                    throw invalidTarget(buf, start, end, "malformed percent-encoding in path");
                }
                percent = true;
                i += 3;
                continue;
            }
            i++;
        }
        int pathEnd = i;
        boolean hasQuery = i < end;
        int queryStart = hasQuery ? i + 1 : end;
        for (int j = queryStart; j < end; j++) {
            if (!isQueryChar(buf[j])) {
                throw invalidTargetByte(buf, j);
            }
        }
        requestLine.setTarget(form, authorityStart, authorityEnd, start, pathEnd, percent,
                queryStart, end, hasQuery);
    }

    private static BadRequestException invalidTargetByte(byte[] buf, int at) {
        if (buf[at] == CR) {
            return new BadRequestException(RequestRejectionReason.BARE_CR);
        }
        return new BadRequestException(RequestRejectionReason.INVALID_REQUEST_TARGET,
                String.format("byte 0x%02X", buf[at] & 0xFF));
    }

    private static BadRequestException invalidTarget(byte[] buf, int start, int end, String why) {
        return new BadRequestException(RequestRejectionReason.INVALID_REQUEST_TARGET,
                why + ": " + AsciiStrings.excerpt(buf, start, end));
    }
}
