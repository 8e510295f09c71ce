package dev.lanner.server;

/** Handles a connection until it closes; the innermost handler speaks HTTP. */
@FunctionalInterface
public interface ConnectionHandler {
    void handle(ConnectionContext connection) throws Exception;
}
