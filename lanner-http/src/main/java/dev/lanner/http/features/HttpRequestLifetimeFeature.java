package dev.lanner.http.features;

import dev.lanner.http.AbortSignal;

/** Signals when the request is aborted (client gone, timeout, shutdown) and lets the application abort it. */
public interface HttpRequestLifetimeFeature {
    AbortSignal requestAborted();

    /** Aborts the request: the connection (HTTP/1.1) or stream (HTTP/2) is torn down. */
    void abort();
}
