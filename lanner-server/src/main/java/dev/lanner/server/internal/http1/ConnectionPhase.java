package dev.lanner.server.internal.http1;

/**
 * Where an HTTP/1.x connection is in its request cycle. The thread serving the connection moves it
 * along; the heartbeat reads it to pick the timeout that applies (keep-alive while idle, request
 * headers while a head arrives, data rates while the application runs).
 */
enum ConnectionPhase {
    /** Between requests, nothing of the next one received. */
    IDLE,
    /** Part of a request head received. */
    HEAD,
    /** The application runs (or its body is collected, or its response is written). */
    APP,
    /** Switched protocols (101): the application owns the byte stream; no HTTP timeouts. */
    UPGRADED,
    /** Ended. */
    CLOSED
}
