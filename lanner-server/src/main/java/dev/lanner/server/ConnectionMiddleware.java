package dev.lanner.server;

/**
 * A connection-level pipeline step (Kestrel's {@code ListenOptions.Use}): runs once per accepted
 * connection before any HTTP is parsed. It may replace the connection's transport (TLS wraps it),
 * add connection features, refuse the connection by not calling {@code next}, or observe it. Runs
 * on the connection's virtual thread, which it may block (the TLS handshake does); one instance
 * serves many connections at once, so any state of its own must be thread-safe.
 */
@FunctionalInterface
public interface ConnectionMiddleware {
    void invoke(ConnectionContext connection, ConnectionHandler next) throws Exception;
}
