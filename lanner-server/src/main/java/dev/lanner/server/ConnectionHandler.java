package dev.lanner.server;

/**
 * Handles a connection until it closes; the innermost handler speaks HTTP. Runs on the connection's
 * virtual thread (started by the accept loop), which it may block.
 */
@FunctionalInterface
public interface ConnectionHandler {
    void handle(ConnectionContext connection) throws Exception;
}
