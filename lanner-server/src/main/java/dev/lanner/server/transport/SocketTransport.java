package dev.lanner.server.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The JDK transport: blocking {@code ServerSocketChannel}/{@link SocketChannel}, used from virtual
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
        return ChannelListener.bind(address, backlog, SocketConnection::new);
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
