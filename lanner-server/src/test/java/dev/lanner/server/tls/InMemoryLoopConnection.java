package dev.lanner.server.tls;

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
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * An event-loop connection held in memory, whose far end is a TLS client ({@link SSLEngine}):
 * what the client sends waits in {@link #readNow}, what the server writes is decrypted by the
 * client on demand, and the socket's room ({@link #setWriteRoom}) and readiness callbacks
 * ({@link #fireReadable}, {@link #fireWritable}) are the test's to decide. The thread that created
 * it is the event loop. The blocking calls serve the handshake: a read runs the client's side of
 * it until the client has something to send.
 */
final class InMemoryLoopConnection implements EventLoopConnection {

    private final SSLEngine client;
    private final Thread loop = Thread.currentThread();
    private final Map<Class<?>, Object> locals;
    private ByteBuffer toServer = ByteBuffer.allocate(1 << 16).flip();
    private ByteBuffer fromServer = ByteBuffer.allocate(1 << 16).flip();
    private final ByteArrayOutputStream decrypted = new ByteArrayOutputStream();
    private ReadinessListener listener;
    private long writeRoom = Long.MAX_VALUE;
    private boolean clientStarted;
    /** Where what the client sent ends while {@link #holdBackLast} hides its tail. */
    private int sentEnd;
    private boolean clientFin;
    boolean readInterest;
    boolean writeInterest;
    int writeInterestArmed;
    boolean outputShut;
    boolean closed;

    InMemoryLoopConnection(SSLEngine client) {
        this.client = client;
        this.locals = new HashMap<>();
    }

    /** A connection of the same event loop as {@code neighbour}: they share its loop-local values. */
    InMemoryLoopConnection(SSLEngine client, InMemoryLoopConnection neighbour) {
        this.client = client;
        this.locals = neighbour.locals;
    }

    // --- the client's side ---

    /** Encrypts each part as a record of its own and queues them for the server. */
    void send(String... parts) throws SSLException {
        for (String part : parts) {
            ByteBuffer plaintext = ByteBuffer.wrap(part.getBytes(StandardCharsets.US_ASCII));
            while (plaintext.hasRemaining()) {
                wrapClient(plaintext);
            }
        }
    }

    /** Sends KeyUpdate(update_requested) on the established TLS 1.3 connection. */
    void updateKeys() throws SSLException {
        client.beginHandshake();
        while (client.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            wrapClient(ByteBuffer.allocate(0));
        }
    }

    /** close_notify; with {@code fin}, the client's TCP end of stream after it. */
    void closeClient(boolean fin) throws SSLException {
        client.closeOutbound();
        while (!client.isOutboundDone()) {
            wrapClient(ByteBuffer.allocate(0));
        }
        clientFin = fin;
    }

    /** Everything the client has decrypted so far (it unwraps what the server wrote first). */
    String received() throws SSLException {
        ByteBuffer plaintext = ByteBuffer.allocate(client.getSession().getApplicationBufferSize());
        while (fromServer.hasRemaining()) {
            SSLEngineResult result = client.unwrap(fromServer, plaintext.clear());
            decrypted.write(plaintext.array(), 0, plaintext.position());
            runTasks();
            if (result.getStatus() != SSLEngineResult.Status.OK) {
                break;
            }
        }
        return decrypted.toString(StandardCharsets.US_ASCII);
    }

    /** Whether the client has seen the server's close_notify. */
    boolean clientInboundDone() throws SSLException {
        received();
        return client.isInboundDone();
    }

    /** How many ciphertext bytes the server wrote that the client has not taken yet. */
    int unreadByClient() {
        return fromServer.remaining();
    }

    int unreadByServer() {
        return toServer.remaining();
    }

    /** The last {@code bytes} the client sent arrive only at {@link #releaseHeldBack()}: a record cut in two. */
    void holdBackLast(int bytes) {
        sentEnd = toServer.limit();
        toServer.limit(sentEnd - bytes);
    }

    void releaseHeldBack() {
        toServer.limit(sentEnd);
    }

    /** The socket's send buffer takes this many more bytes. */
    void setWriteRoom(long bytes) {
        writeRoom = bytes;
    }

    void fireReadable() {
        listener.onReadable();
    }

    void fireWritable() {
        writeInterest = false;
        listener.onWritable();
    }

    private void wrapClient(ByteBuffer plaintext) throws SSLException {
        ByteBuffer record = ByteBuffer.allocate(client.getSession().getPacketBufferSize());
        client.wrap(plaintext, record);
        runTasks();
        toServer = append(toServer, record.flip());
    }

    private void runTasks() {
        Runnable task;
        while ((task = client.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private static ByteBuffer append(ByteBuffer flipped, ByteBuffer more) {
        ByteBuffer target = flipped.compact();
        if (target.remaining() < more.remaining()) {
            target = ByteBuffer.allocate(Math.max(target.capacity() * 2, target.position() + more.remaining()));
            target.put(flipped.flip());
        }
        return target.put(more).flip();
    }

    // --- the server's side ---

    @Override
    public int readNow(ByteBuffer buffer) {
        if (!toServer.hasRemaining()) {
            return clientFin ? -1 : 0;
        }
        int n = Math.min(buffer.remaining(), toServer.remaining());
        buffer.put(toServer.slice(toServer.position(), n));
        toServer.position(toServer.position() + n);
        return n;
    }

    @Override
    public int writeNow(ByteBuffer buffer) throws IOException {
        if (closed || outputShut) {
            throw new IOException("closed");
        }
        int n = (int) Math.min(buffer.remaining(), writeRoom);
        fromServer = append(fromServer, buffer.slice(buffer.position(), n));
        buffer.position(buffer.position() + n);
        writeRoom -= n;
        return n;
    }

    /** For the handshake: runs the client until it has something to send. */
    @Override
    public int read(ByteBuffer buffer) throws IOException {
        if (!clientStarted) {
            clientStarted = true;
            client.beginHandshake();
        }
        while (!toServer.hasRemaining()) {
            switch (client.getHandshakeStatus()) {
                case NEED_WRAP -> wrapClient(ByteBuffer.allocate(0));
                case NEED_TASK -> runTasks();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!fromServer.hasRemaining()) {
                        throw new IllegalStateException("both sides wait for the other");
                    }
                    client.unwrap(fromServer, ByteBuffer.allocate(client.getSession().getApplicationBufferSize()));
                }
                default -> throw new IllegalStateException("the client has nothing more to say");
            }
        }
        return readNow(buffer);
    }

    /** A blocking write waits until the socket takes everything: here it takes it at once, room or not. */
    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        if (closed || outputShut) {
            throw new IOException("closed");
        }
        for (ByteBuffer b : buffers) {
            fromServer = append(fromServer, b);
        }
    }

    @Override
    public void setListener(ReadinessListener listener) {
        this.listener = listener;
    }

    @Override
    public void armRead() {
        readInterest = true;
    }

    @Override
    public void disarmRead() {
        readInterest = false;
    }

    @Override
    public void armWrite() {
        writeInterest = true;
        writeInterestArmed++;
    }

    @Override
    public <T> T loopLocal(Class<T> type, Supplier<T> factory) {
        return type.cast(locals.computeIfAbsent(type, k -> factory.get()));
    }

    @Override
    public boolean inEventLoop() {
        return Thread.currentThread() == loop;
    }

    @Override
    public void shutdownInput() {
        clientFin = true;
    }

    @Override
    public void shutdownOutput() {
        outputShut = true;
    }

    @Override
    public SocketAddress localAddress() {
        return new InetSocketAddress(443);
    }

    @Override
    public SocketAddress remoteAddress() {
        return new InetSocketAddress(50_000);
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
