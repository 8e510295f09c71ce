package dev.lanner.server.transport;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A bound listening socket. {@link #accept} is called in a loop by the listener's own accept thread
 * (a virtual thread); {@link #close} by the thread stopping the server, while that accept may be
 * blocked.
 */
public interface TransportListener extends AutoCloseable {

    /** Blocks until a connection arrives. Throws once closed. */
    TransportConnection accept() throws IOException;

    /** The bound address (the real port when 0 was asked for). */
    SocketAddress localAddress();

    @Override
    void close() throws IOException;
}
