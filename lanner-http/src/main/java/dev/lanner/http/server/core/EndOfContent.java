package dev.lanner.http.server.core;

/** How the end of a response body is known to the client (Jetty's {@code HttpTokens.EndOfContent}). */
public enum EndOfContent {
    /** No body: 1xx, 204, 304, or a response to HEAD. */
    NONE,
    /** A {@code Content-Length} field gives the body's size. */
    CONTENT_LENGTH,
    /**
     * The body is streamed without a length: HTTP/1.1 chunked coding, or on HTTP/2 DATA frames until
     * END_STREAM.
     */
    CHUNKED,
    /** HTTP/1.x only: the body ends when the server closes the connection. */
    CLOSE_DELIMITED
}
