package dev.lanner.server;

import java.util.Locale;

/**
 * The HTTP versions an endpoint speaks ({@code Server:Endpoints:{name}:Protocols}). Over TLS the
 * client picks by ALPN among the allowed ones; without TLS {@link #HTTP2} means HTTP/2 with prior
 * knowledge (h2c) and {@link #HTTP1_AND_HTTP2} serves HTTP/1.1 (there is no ALPN to choose with).
 * Immutable; safe from any thread.
 */
public enum HttpProtocols {
    HTTP1,
    HTTP2,
    HTTP1_AND_HTTP2;

    public boolean allowsHttp1() {
        return this != HTTP2;
    }

    public boolean allowsHttp2() {
        return this != HTTP1;
    }

    /** Parses {@code Http1}, {@code Http2}, {@code Http1AndHttp2} (any case); null when unknown. */
    public static HttpProtocols parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "http1" -> HTTP1;
            case "http2" -> HTTP2;
            case "http1andhttp2", "http1_and_http2" -> HTTP1_AND_HTTP2;
            default -> null;
        };
    }
}
