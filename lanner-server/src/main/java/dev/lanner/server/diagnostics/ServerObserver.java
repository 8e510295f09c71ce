package dev.lanner.server.diagnostics;

/**
 * What the default server reports about its connections, TLS handshakes, HTTP/2 streams and rejections
 * (Kestrel's {@code KestrelMetrics} events), for metrics. Every method has an empty default and
 * {@link #NONE} is what a server without an observer calls, so a server without metrics pays one call
 * to an empty method per connection event and nothing per request. Set one with
 * {@code LannerServer.setObserver} before the server starts; lanner-metrics does.
 *
 * <p>Called from many threads at once (accept threads, event loops, connection and stream threads,
 * the heartbeat): implementations must be thread-safe and must not block or throw.
 */
public interface ServerObserver {

    /** Observes nothing. */
    ServerObserver NONE = new ServerObserver() { };

    /**
     * A connection was accepted and waits for its thread (a plain HTTP/1.1 connection on an event loop
     * starts at once, without one: {@link #connectionStarted} follows on the accept thread).
     */
    default void connectionQueued() { }

    /** A queued connection's thread started serving it (it is now open). */
    default void connectionStarted(String connectionId) { }

    /**
     * An open connection closed.
     *
     * @param protocolVersion {@code "1.1"}, {@code "2"}, or {@code null} when it closed before a protocol was
     *                        chosen (connection limit, failed TLS handshake)
     * @param durationNanos   from {@link #connectionStarted} to now
     */
    default void connectionEnded(String connectionId, String protocolVersion, long durationNanos) { }

    /** A TLS handshake began. */
    default void tlsHandshakeStarted() { }

    /**
     * A TLS handshake ended.
     *
     * @param tlsProtocol   the negotiated protocol ({@code TLSv1.3}), or {@code null} when it failed
     * @param durationNanos how long it took
     */
    default void tlsHandshakeEnded(String tlsProtocol, long durationNanos) { }

    /** An HTTP/2 stream opened (its request headers arrived). */
    default void http2StreamOpened() { }

    /** An HTTP/2 stream closed (ended both ways, reset, or its connection closed). */
    default void http2StreamClosed() { }

    /** The server refused a request, a stream or a connection; each refusal is reported once. */
    default void rejected(String connectionId, RejectionReason reason) { }
}
