package dev.lanner.server.internal.http1;

import dev.lanner.server.diagnostics.RejectionReason;

/**
 * Every way an HTTP/1.x request can be rejected, each mapped here, and only here, to the status
 * code the server answers with. After any rejection the connection is closed: once the framing
 * of one message is in doubt, nothing after it on the same connection can be trusted
 * (RFC 9112 §6.3, §11.2). Immutable; safe from any thread.
 */
public enum RequestRejectionReason {

    // ---- request line (RFC 9112 §3) ----------------------------------------------------------
    /** The request line does not have the form {@code method SP request-target SP HTTP-version}. */
    INVALID_REQUEST_LINE(400, "Invalid request line"),
    /** The request line is longer than the configured limit (RFC 9112 §3: 414 is the answer). */
    REQUEST_LINE_TOO_LONG(414, "Request line too long"),
    /** The request-target has a character or form not allowed (RFC 9112 §3.2). */
    INVALID_REQUEST_TARGET(400, "Invalid request target"),
    /** The version is a well-formed {@code HTTP/x.y} other than 1.0 and 1.1 (RFC 9110 §15.6.6). */
    UNSUPPORTED_HTTP_VERSION(505, "HTTP version not supported"),

    // ---- line syntax (RFC 9112 §2.2) ---------------------------------------------------------
    /** A CR not followed by LF (RFC 9112 §2.2: MUST treat as invalid or replace with SP). */
    BARE_CR(400, "Bare CR"),
    /** An LF not preceded by CR; this server does not accept bare LF as a line terminator. */
    BARE_LF(400, "Bare LF line terminator"),

    // ---- header and trailer fields (RFC 9112 §5, RFC 9110 §5) --------------------------------
    /** A field line without a colon, or whitespace between the start line and the first field. */
    INVALID_HEADER_LINE(400, "Invalid header line"),
    /** A field name that is empty or not a token (RFC 9110 §5.1). */
    INVALID_HEADER_NAME(400, "Invalid header name"),
    /** Whitespace between a field name and the colon (RFC 9112 §5.1: MUST reject with 400). */
    WHITESPACE_BEFORE_COLON(400, "Whitespace before colon"),
    /** A line folded with obs-fold (RFC 9112 §5.2: MUST reject with 400). */
    OBS_FOLD(400, "Obsolete line folding"),
    /** NUL or another control character in a field value (RFC 9110 §5.5). */
    INVALID_CHARACTER(400, "Invalid character in header value"),
    /** The header section is larger than the configured limit (RFC 6585 §5). */
    HEADERS_TOO_LARGE(431, "Request headers too large"),
    /** More header fields than the configured limit (RFC 6585 §5). */
    TOO_MANY_HEADERS(431, "Too many request headers"),

    // ---- Host (RFC 9112 §3.2) ----------------------------------------------------------------
    /** An HTTP/1.1 request without Host (RFC 9112 §3.2: MUST respond 400). */
    MISSING_HOST(400, "Missing Host header"),
    /** More than one Host field line (RFC 9112 §3.2: MUST respond 400). */
    MULTIPLE_HOST(400, "Multiple Host headers"),
    /** A Host value that is not a valid uri-host [":" port] (RFC 9112 §3.2: MUST respond 400). */
    INVALID_HOST(400, "Invalid Host header"),

    // ---- body framing (RFC 9112 §6) ----------------------------------------------------------
    /** Both Content-Length and Transfer-Encoding (RFC 9112 §6.3 rule 3; a smuggling vector). */
    CONTENT_LENGTH_WITH_TRANSFER_ENCODING(400, "Content-Length with Transfer-Encoding"),
    /** Content-Length values that differ (RFC 9110 §8.6; RFC 9112 §6.3 rule 5). */
    MULTIPLE_CONTENT_LENGTH(400, "Multiple Content-Length values"),
    /** A Content-Length that is not 1*DIGIT or does not fit a long (RFC 9110 §8.6). */
    INVALID_CONTENT_LENGTH(400, "Invalid Content-Length"),
    /** A Transfer-Encoding list that cannot be parsed, or chunked applied twice (RFC 9112 §6.1). */
    INVALID_TRANSFER_ENCODING(400, "Invalid Transfer-Encoding"),
    /** A transfer coding other than chunked (RFC 9112 §6.1: SHOULD respond 501). */
    UNSUPPORTED_TRANSFER_ENCODING(501, "Unsupported Transfer-Encoding"),
    /** Transfer-Encoding present but chunked is not the final coding (RFC 9112 §6.3 rule 4). */
    CHUNKED_NOT_FINAL_ENCODING(400, "Chunked is not the final transfer coding"),
    /** Transfer-Encoding in an HTTP/1.0 request: framing is faulty (RFC 9112 §6.1, §6.3). */
    TRANSFER_ENCODING_IN_HTTP_1_0(400, "Transfer-Encoding in an HTTP/1.0 request"),
    /** Content on a request that cannot have it: CONNECT (RFC 9110 §9.3.6). */
    CONTENT_NOT_ALLOWED(400, "Request cannot have content"),
    /** The body is larger than the configured limit (RFC 9110 §15.5.14). */
    REQUEST_BODY_TOO_LARGE(413, "Request body too large"),
    /** The connection ended before the body did (RFC 9112 §8). */
    UNEXPECTED_END_OF_REQUEST_CONTENT(400, "Unexpected end of request content"),

    // ---- chunked transfer coding (RFC 9112 §7.1) ---------------------------------------------
    /** A chunk-size that is not 1*HEXDIG followed by an extension or CRLF. */
    BAD_CHUNK_SIZE(400, "Bad chunk size"),
    /** A chunk-size of more than 16 hex digits or above Long.MAX_VALUE (RFC 9112 §7.1). */
    CHUNK_SIZE_OVERFLOW(400, "Chunk size overflow"),
    /** A chunk extension that does not follow RFC 9112 §7.1.1. */
    BAD_CHUNK_EXTENSION(400, "Bad chunk extension"),
    /** More chunk-extension bytes on one chunk line than allowed. */
    CHUNK_EXTENSIONS_TOO_LARGE(400, "Chunk extensions too large"),
    /** Chunk data not followed by CRLF. */
    BAD_CHUNK_TERMINATOR(400, "Bad chunk terminator"),
    /** The trailer section is larger than allowed (RFC 6585 §5 by analogy with headers). */
    TRAILERS_TOO_LARGE(431, "Request trailers too large"),

    // ---- timeouts, enforced by the connection layer ------------------------------------------
    /** The header section did not arrive in time (RFC 9110 §15.5.9). */
    REQUEST_HEADERS_TIMEOUT(408, "Request headers timeout"),
    /** The body arrived too slowly (RFC 9110 §15.5.9). */
    REQUEST_BODY_TIMEOUT(408, "Request body timeout");

    private final int statusCode;
    private final String description;

    RequestRejectionReason(int statusCode, String description) {
        this.statusCode = statusCode;
        this.description = description;
    }

    /** The status code of the response sent for this rejection. */
    public int statusCode() {
        return statusCode;
    }

    /** The coarser reason metrics count this rejection under ({@code lanner.rejections}). */
    public RejectionReason group() {
        return switch (this) {
            case INVALID_REQUEST_LINE, INVALID_REQUEST_TARGET, UNSUPPORTED_HTTP_VERSION, BARE_CR, BARE_LF ->
                    RejectionReason.INVALID_REQUEST_LINE;
            case REQUEST_LINE_TOO_LONG -> RejectionReason.REQUEST_LINE_TOO_LONG;
            case INVALID_HEADER_LINE, INVALID_HEADER_NAME, WHITESPACE_BEFORE_COLON, OBS_FOLD, INVALID_CHARACTER,
                 MISSING_HOST, MULTIPLE_HOST, INVALID_HOST -> RejectionReason.INVALID_REQUEST_HEADERS;
            case HEADERS_TOO_LARGE, TOO_MANY_HEADERS, TRAILERS_TOO_LARGE -> RejectionReason.REQUEST_HEADERS_TOO_LARGE;
            case REQUEST_BODY_TOO_LARGE -> RejectionReason.REQUEST_BODY_TOO_LARGE;
            case REQUEST_HEADERS_TIMEOUT -> RejectionReason.REQUEST_HEADERS_TIMEOUT;
            case REQUEST_BODY_TIMEOUT -> RejectionReason.MIN_REQUEST_BODY_DATA_RATE;
            default -> RejectionReason.INVALID_REQUEST_BODY;
        };
    }

    /** A short English description, safe to log and to show in a development error page. */
    public String description() {
        return description;
    }
}
