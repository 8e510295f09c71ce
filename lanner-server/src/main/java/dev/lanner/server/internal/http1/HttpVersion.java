package dev.lanner.server.internal.http1;

/**
 * The HTTP versions an HTTP/1.x connection accepts (RFC 9112 §2.3). Immutable; safe from any
 * thread.
 */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** The protocol version as written on the wire, e.g. {@code HTTP/1.1}. */
    public String text() {
        return text;
    }
}
