package dev.lanner.server.internal.http2;

import dev.lanner.server.transport.TransportConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A connection held in memory for protocol tests (Netty's {@code EmbeddedChannel} idea): the test
 * queues what the client sends, in reads of its choosing; each {@link #read} hands the server the next
 * one, and the end of the script is the client's end of stream. What the server writes collects in
 * {@link #written()}. Runs on the test's thread: with a non-blocking application, the connection
 * serves the whole script there and returns. (The TLS tests' {@code InMemoryLoopConnection} is the far
 * end of a TLS client, whose blocking read runs a handshake; HTTP/2's tests need plain octets.)
 */
final class InMemoryTransport implements TransportConnection {

    private final Deque<byte[]> reads = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private byte[] current;
    private int position;
    private boolean outputShut;
    private boolean inputShut;
    private boolean closed;

    private final java.util.Map<byte[], Runnable> actions = new java.util.IdentityHashMap<>();

    /** Queues {@code octets} as one read of the server. */
    InMemoryTransport send(byte[] octets) {
        reads.add(octets);
        return this;
    }

    /**
     * Runs {@code action} on the connection's thread when its read reaches this point of the script: while
     * the connection waits for the client, everything before served.
     */
    InMemoryTransport then(Runnable action) {
        byte[] marker = new byte[0];
        actions.put(marker, action);
        reads.add(marker);
        return this;
    }

    /** Everything the server wrote. */
    byte[] written() {
        return written.toByteArray();
    }

    boolean outputShut() {
        return outputShut;
    }

    boolean closed() {
        return closed;
    }

    @Override
    public int read(ByteBuffer buffer) {
        while (current == null || position == current.length) {
            current = inputShut ? null : reads.poll();
            position = 0;
            if (current == null) {
                return -1;
            }
            Runnable action = actions.remove(current);
            if (action != null) {
                action.run();
            }
        }
        int n = Math.min(buffer.remaining(), current.length - position);
        buffer.put(current, position, n);
        position += n;
        return n;
    }

    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        if (outputShut || closed) {
            throw new IOException("closed");
        }
        for (ByteBuffer b : buffers) {
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            written.write(bytes);
        }
    }

    @Override
    public void shutdownInput() {
        inputShut = true;
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
    }
}
