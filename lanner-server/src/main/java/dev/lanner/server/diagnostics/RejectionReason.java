package dev.lanner.server.diagnostics;

/**
 * Why the server refused a request, a stream or a connection, as a {@link ServerObserver} and the
 * {@code dev.lanner.server.Rejections} debug log report it. Each has a stable snake_case
 * {@link #tagValue() name} for metrics ({@code lanner.rejections}, tag {@code reason}). The HTTP/1.1
 * parser's finer reasons ({@code RequestRejectionReason}, 40 of them) map onto the first seven; the
 * debug line names both. Immutable; safe from any thread.
 */
public enum RejectionReason {

    /** A malformed request line or target, a bare CR or LF (400), or an unsupported version (505). */
    INVALID_REQUEST_LINE("invalid_request_line"),
    /** A request line beyond {@code MaxRequestLineSize} (414). */
    REQUEST_LINE_TOO_LONG("request_line_too_long"),
    /** A malformed header field or Host, or a malformed HTTP/2 request (400; HTTP/2: RST_STREAM PROTOCOL_ERROR). */
    INVALID_REQUEST_HEADERS("invalid_request_headers"),
    /** Headers beyond {@code MaxRequestHeadersTotalSize} or {@code MaxRequestHeaderCount} (431). */
    REQUEST_HEADERS_TOO_LARGE("request_headers_too_large"),
    /** Body framing the server cannot trust: Content-Length with Transfer-Encoding, bad chunks, a truncated body (400, 501). */
    INVALID_REQUEST_BODY("invalid_request_body"),
    /** A body beyond {@code MaxRequestBodySize} (413). */
    REQUEST_BODY_TOO_LARGE("request_body_too_large"),
    /** The request head did not arrive within {@code RequestHeadersTimeout} (408; HTTP/2: GOAWAY). */
    REQUEST_HEADERS_TIMEOUT("request_headers_timeout"),
    /** The body arrived below {@code MinRequestBodyDataRate} (408). */
    MIN_REQUEST_BODY_DATA_RATE("min_request_body_data_rate"),
    /** The client read the response below {@code MinResponseDataRate} (connection aborted). */
    MIN_RESPONSE_DATA_RATE("min_response_data_rate"),
    /** {@code MaxConcurrentConnections} reached: the connection is closed at once. */
    CONNECTION_LIMIT("connection_limit"),
    /** The TLS handshake failed (no common protocol or cipher, a bad client certificate, plain HTTP to an HTTPS port). */
    TLS_HANDSHAKE_FAILED("tls_handshake_failed"),
    /** The TLS handshake did not finish within its timeout (10 s). */
    TLS_HANDSHAKE_TIMEOUT("tls_handshake_timeout"),
    /** The client negotiated no application protocol this endpoint speaks (ALPN). */
    TLS_NO_APPLICATION_PROTOCOL("tls_no_application_protocol"),
    /**
     * An HTTP/2 connection error other than a flood (GOAWAY with PROTOCOL_ERROR, FRAME_SIZE_ERROR, ...), or a
     * stream error (RST_STREAM: content-length not matching the DATA, malformed trailers, ...).
     */
    HTTP2_PROTOCOL_ERROR("http2_protocol_error"),
    /** An HTTP/2 stream beyond {@code MaxStreamsPerConnection} (RST_STREAM REFUSED_STREAM). */
    HTTP2_STREAM_LIMIT("http2_stream_limit"),
    /** Too many streams reset or refused (rapid reset, CVE-2023-44487): GOAWAY ENHANCE_YOUR_CALM. */
    HTTP2_RAPID_RESET("http2_rapid_reset"),
    /** A header block of too many CONTINUATION frames or octets (CVE-2024-27316): GOAWAY ENHANCE_YOUR_CALM. */
    HTTP2_CONTINUATION_FLOOD("http2_continuation_flood"),
    /** Too many SETTINGS, PING, PRIORITY or empty DATA frames: GOAWAY ENHANCE_YOUR_CALM. */
    HTTP2_CONTROL_FRAME_FLOOD("http2_control_frame_flood"),
    /** A keep-alive PING went unanswered ({@code KeepAlivePingTimeout}): GOAWAY INTERNAL_ERROR. */
    HTTP2_KEEP_ALIVE_PING_TIMEOUT("http2_keep_alive_ping_timeout");

    private final String tagValue;

    RejectionReason(String tagValue) {
        this.tagValue = tagValue;
    }

    /** The reason's metric tag value and log name, e.g. {@code request_body_too_large}. */
    public String tagValue() {
        return tagValue;
    }
}
