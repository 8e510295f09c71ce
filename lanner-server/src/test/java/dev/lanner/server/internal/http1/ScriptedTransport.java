package dev.lanner.server.internal.http1;

import dev.lanner.server.transport.TransportConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A blocking {@link TransportConnection} held in memory, for the connection's virtual-thread path:
 * each read hands out (what fits of) the next scripted segment, then end of stream; everything
 * written is kept. It records how much had been written when each segment was handed out, so a test
 * can tell that a response (a 100 Continue) went out before the client's next bytes were read.
 */
final class ScriptedTransport implements TransportConnection {

    private final Deque<byte[]> segments = new ArrayDeque<>();
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();
    private final List<Integer> writtenAtSegment = new ArrayList<>();
    private byte[] current;
    private int position;
    private boolean inputShut;
    private boolean outputShut;
    private boolean closed;

    ScriptedTransport(String... segments) {
        for (String segment : segments) {
            this.segments.add(segment.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Everything the server wrote, as ISO-8859-1 text. */
    synchronized String written() {
        return written.toString(StandardCharsets.ISO_8859_1);
    }

    /** What the server had written when segment {@code index} (0-based) was first read. */
    synchronized String writtenBeforeSegment(int index) {
        return written().substring(0, writtenAtSegment.get(index));
    }

    synchronized boolean outputShut() {
        return outputShut;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized int read(ByteBuffer buffer) {
        if (inputShut || closed) {
            return -1;
        }
        while (current == null || position == current.length) {
            current = segments.poll();
            position = 0;
            if (current == null) {
                return -1;
            }
            writtenAtSegment.add(written.size());
        }
        int n = Math.min(buffer.remaining(), current.length - position);
        buffer.put(current, position, n);
        position += n;
        return n;
    }

    @Override
    public synchronized void write(ByteBuffer... buffers) throws IOException {
        if (closed || outputShut) {
            throw new IOException("closed");
        }
        for (ByteBuffer b : buffers) {
            while (b.hasRemaining()) {
                written.write(b.get());
            }
        }
    }

    @Override public synchronized void shutdownInput() { inputShut = true; }
    @Override public synchronized void shutdownOutput() { outputShut = true; }
    @Override public SocketAddress localAddress() { return new InetSocketAddress("127.0.0.1", 8080); }
    @Override public SocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 50_000); }
    @Override public synchronized boolean isOpen() { return !closed; }
    @Override public synchronized void close() { closed = true; }
}
