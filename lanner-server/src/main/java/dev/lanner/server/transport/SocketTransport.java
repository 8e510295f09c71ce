package dev.lanner.server.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The JDK transport: blocking {@link ServerSocketChannel}/{@link SocketChannel}, used from virtual
 * threads (the JDK parks the virtual thread on its poller instead of blocking a carrier).
 */
public final class SocketTransport implements Transport {

    private final int backlog;

    public SocketTransport() {
        this(1024);
    }

    public SocketTransport(int backlog) {
        this.backlog = backlog;
    }

    @Override
    public TransportListener bind(SocketAddress address) throws IOException {
        ServerSocketChannel server;
        if (address instanceof UnixDomainSocketAddress unix) {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            // A stale socket file from an earlier run would make bind fail.
            Files.deleteIfExists(unix.getPath());
        } else {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        }
        try {
            server.bind(address, backlog);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new SocketListener(server, address instanceof UnixDomainSocketAddress u ? u.getPath() : null);
    }

    private static final class SocketListener implements TransportListener {
        private final ServerSocketChannel server;
        private final Path unixPath;
        private final SocketAddress local;

        SocketListener(ServerSocketChannel server, Path unixPath) throws IOException {
            this.server = server;
            this.unixPath = unixPath;
            this.local = server.getLocalAddress();
        }

        @Override
        public TransportConnection accept() throws IOException {
            SocketChannel channel = server.accept();
            if (channel.getRemoteAddress() instanceof InetSocketAddress) {
                // Small responses must leave at once: Nagle + delayed ACK stalls pipelined and request/response traffic.
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            return new SocketConnection(channel, local);
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

    private static final class SocketConnection implements TransportConnection {
        private final SocketChannel channel;
        private final SocketAddress local;
        private final SocketAddress remote;

        SocketConnection(SocketChannel channel, SocketAddress listenerAddress) throws IOException {
            this.channel = channel;
            SocketAddress l = channel.getLocalAddress();
            this.local = l == null ? listenerAddress : l;
            this.remote = channel.getRemoteAddress();
        }

        @Override
        public int read(ByteBuffer buffer) throws IOException {
            return channel.read(buffer);
        }

        @Override
        public void write(ByteBuffer... buffers) throws IOException {
            if (buffers.length == 1) {
                ByteBuffer b = buffers[0];
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                return;
            }
            long remaining = 0;
            for (ByteBuffer b : buffers) {
                remaining += b.remaining();
            }
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
        }

        @Override
        public void shutdownInput() throws IOException {
            channel.shutdownInput();
        }

        @Override
        public void shutdownOutput() throws IOException {
            channel.shutdownOutput();
        }

        @Override
        public SocketAddress localAddress() {
            return local;
        }

        @Override
        public SocketAddress remoteAddress() {
            return remote;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
