package dev.lanner.server.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A bound {@link ServerSocketChannel} (TCP or Unix domain), shared by every JDK transport: binding,
 * accepting with {@code TCP_NODELAY}, and closing (which removes a Unix socket file). Each transport
 * supplies how an accepted channel becomes its {@link TransportConnection}. {@link #accept} runs on
 * the listener's accept thread (a virtual thread of the server), which also runs the transport's
 * factory; {@link #close} comes from the thread starting or stopping the server.
 */
final class ChannelListener implements TransportListener {

    /** Turns an accepted channel into the transport's connection. */
    @FunctionalInterface
    interface ConnectionFactory {
        TransportConnection create(SocketChannel channel, SocketAddress listenerAddress) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Path unixPath;
    private final SocketAddress local;
    private final ConnectionFactory factory;

    private ChannelListener(ServerSocketChannel server, Path unixPath, ConnectionFactory factory) throws IOException {
        this.server = server;
        this.unixPath = unixPath;
        this.local = server.getLocalAddress();
        this.factory = factory;
    }

    static ChannelListener bind(SocketAddress address, int backlog, ConnectionFactory factory) throws IOException {
        ServerSocketChannel server;
        Path unixPath = null;
        if (address instanceof UnixDomainSocketAddress unix) {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            unixPath = unix.getPath();
            // A stale socket file from an earlier run would make bind fail.
            Files.deleteIfExists(unixPath);
        } else {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        try {
            server.bind(address, backlog);
            return new ChannelListener(server, unixPath, factory);
        } catch (IOException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public TransportConnection accept() throws IOException {
        SocketChannel channel = server.accept();
        try {
            if (channel.getRemoteAddress() instanceof InetSocketAddress) {
                // Small responses must leave at once: Nagle + delayed ACK stalls pipelined and request/response traffic.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return factory.create(channel, local);
        } catch (IOException | RuntimeException e) {
            // A client that reset at once fails only its own connection, which must not stay open.
            channel.close();
            throw e;
        }
    }

    @Override
    public SocketAddress localAddress() {
        return local;
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (unixPath != null) {
            Files.deleteIfExists(unixPath);
        }
    }
}
