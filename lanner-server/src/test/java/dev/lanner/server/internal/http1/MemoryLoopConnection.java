package dev.lanner.server.internal.http1;

import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.ReadinessListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A plaintext {@link EventLoopConnection} held in memory: the test thread is the event loop. What the
 * client sends waits for {@link #readNow}; the socket's room ({@link #setWriteRoom}) and the readiness
 * callbacks ({@link #fireReadable}, {@link #fireWritable}) are the test's to decide. The blocking
 * calls, made by the connection's virtual thread after a hand-over, wait for the client's bytes.
 */
final class MemoryLoopConnection implements EventLoopConnection {

    private final Thread loop;
    private final Map<Class<?>, Object> locals;
    private final CountDownLatch listening = new CountDownLatch(1);
    private final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
    private ByteBuffer toServer = ByteBuffer.allocate(0);
    private volatile ReadinessListener listener;
    private long writeRoom = Long.MAX_VALUE;
    private boolean clientFin;
    private boolean closed;
    private boolean outputShut;
    private boolean readArmed;
    private boolean writeArmed;

    /** A connection whose event loop is the current thread. */
    MemoryLoopConnection() {
        this(Thread.currentThread(), new HashMap<>());
    }

    private MemoryLoopConnection(Thread loop, Map<Class<?>, Object> locals) {
        this.loop = loop;
        this.locals = locals;
    }

    /** Another connection of the same event loop: it shares the loop-local values (the loop's buffers). */
    MemoryLoopConnection onSameLoop() {
        return new MemoryLoopConnection(loop, locals);
    }

    // --- the client's side (the test thread) ---

    synchronized void send(String bytes) {
        byte[] more = bytes.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer next = ByteBuffer.allocate(toServer.remaining() + more.length);
        next.put(toServer).put(more).flip();
        toServer = next;
        notifyAll();
    }

    synchronized void finish() {
        clientFin = true;
        notifyAll();
    }

    synchronized String received() {
        return fromServer.toString(StandardCharsets.ISO_8859_1);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    synchronized boolean outputShut() {
        return outputShut;
    }

    synchronized boolean readArmed() {
        return readArmed;
    }

    synchronized boolean writeArmed() {
        return writeArmed;
    }

    synchronized void setWriteRoom(long bytes) {
        writeRoom = bytes;
    }

    /** Waits until the connection's thread registered its listener (the connection is ready to serve). */
    void awaitListener() throws InterruptedException {
        if (!listening.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the connection never registered its listener");
        }
    }

    void fireReadable() {
        listener.onReadable();
    }

    void fireWritable() {
        synchronized (this) {
            writeArmed = false;
        }
        listener.onWritable();
    }

    // --- the server's side ---

    @Override
    public synchronized int readNow(ByteBuffer buffer) {
        if (!toServer.hasRemaining()) {
            return clientFin || closed ? -1 : 0;
        }
        int n = Math.min(buffer.remaining(), toServer.remaining());
        buffer.put(toServer.slice(toServer.position(), n));
        toServer.position(toServer.position() + n);
        return n;
    }

    @Override
    public synchronized int writeNow(ByteBuffer buffer) throws IOException {
        if (closed || outputShut) {
            throw new IOException("closed");
        }
        int n = (int) Math.min(buffer.remaining(), writeRoom);
        for (int i = 0; i < n; i++) {
            fromServer.write(buffer.get());
        }
        writeRoom -= n;
        return n;
    }

    @Override
    public synchronized int read(ByteBuffer buffer) throws IOException {
        while (!toServer.hasRemaining() && !clientFin && !closed) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
        return readNow(buffer);
    }

    @Override
    public synchronized void write(ByteBuffer... buffers) throws IOException {
        for (ByteBuffer b : buffers) {
            if (closed || outputShut) {
                throw new IOException("closed");
            }
            while (b.hasRemaining()) {
                fromServer.write(b.get());
            }
        }
    }

    @Override
    public void setListener(ReadinessListener listener) {
        this.listener = listener;
        listening.countDown();
    }

    @Override public synchronized void armRead() { readArmed = true; }
    @Override public synchronized void disarmRead() { readArmed = false; }
    @Override public synchronized void armWrite() { writeArmed = true; }

    @Override
    public <T> T loopLocal(Class<T> type, Supplier<T> factory) {
        return type.cast(locals.computeIfAbsent(type, k -> factory.get()));
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loop;
    }

    @Override
    public synchronized void shutdownInput() {
        clientFin = true;
        notifyAll();
    }

    @Override
    public synchronized void shutdownOutput() {
        outputShut = true;
    }

    @Override public SocketAddress localAddress() { return new InetSocketAddress("127.0.0.1", 8080); }
    @Override public SocketAddress remoteAddress() { return new InetSocketAddress("127.0.0.1", 50_000); }
    @Override public synchronized boolean isOpen() { return !closed; }

    @Override
    public void close() {
        ReadinessListener l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            notifyAll();
            l = listener;
        }
        if (l != null) {
            l.onClosed();
        }
    }
}
