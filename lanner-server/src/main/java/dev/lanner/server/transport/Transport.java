package dev.lanner.server.transport;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * Opens listening sockets. The default is {@link SocketTransport} (JDK NIO channels, TCP over
 * IPv4/IPv6 and Unix domain sockets); another transport (in-memory, a native one) plugs in here.
 * {@link #bind} is called by the thread that starts the server, once per listening address.
 */
public interface Transport {
    TransportListener bind(SocketAddress address) throws IOException;
}
