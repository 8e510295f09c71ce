package dev.lanner.server.tls;

import dev.lanner.server.transport.TransportConnection;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A TLS connection over another transport: {@link #read} decrypts, {@link #write} encrypts, with
 * the JDK's {@link SSLEngine} (as Netty, Jetty and Vert.x do on the JDK provider).
 *
 * <p>Buffers are per connection and on the heap: the JDK engine's ciphers work on arrays, and a
 * direct buffer would cost a copy on each side of them (Netty makes the same choice for the JDK
 * engine). {@code netIn} holds received records, {@code netOut} the records of one write;
 * {@code appIn} (allocated only when a caller's buffer is too small for a record) holds plaintext
 * decrypted ahead of the caller. Reads decrypt straight into the caller's buffer, as many buffered
 * records as fit; writes pack the caller's buffers into as few records as the engine allows and hand
 * them to the inner transport in one write.
 *
 * <p>One thread may read while another writes (HTTP/2 reads on the connection's thread while
 * streams write): the read side and the write side each have a lock, and a post-handshake message
 * that needs an answer (TLS 1.3 KeyUpdate) takes the write lock from the reader. TLS 1.2
 * renegotiation is refused: it is a denial-of-service lever, HTTP/2 forbids it (RFC 9113 §9.2.1),
 * and TLS 1.3 removed it.
 */
final class TlsTransportConnection implements TransportConnection {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ByteBuffer[] NO_BUFFERS = {EMPTY};
    /** At most this many records go out in one write of the inner transport. */
    private static final int MAX_RECORDS_PER_WRITE = 4;
    /** The largest TLS plaintext record (RFC 8446 §5.1). */
    private static final int MAX_PLAINTEXT = 16 * 1024;

    private final TransportConnection inner;
    private final SSLEngine engine;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();

    // Read side, guarded by readLock. Both buffers are kept flipped: position..limit is unread.
    private ByteBuffer netIn;
    private ByteBuffer appIn = ByteBuffer.allocate(0);
    private boolean inputEnded;
    private boolean handshakeDone;

    // Write side, guarded by writeLock.
    private ByteBuffer netOut;
    private int packetSize;
    private boolean outputShut;

    TlsTransportConnection(TransportConnection inner, SSLEngine engine) {
        this.inner = inner;
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packetSize).flip();
        this.netOut = ByteBuffer.allocate(packetSize);
    }

    SSLEngine engine() {
        return engine;
    }

    /**
     * Runs the handshake to its end on the calling thread.
     *
     * @throws SSLException when it fails (an alert, if the engine has one, is sent first)
     * @throws IOException  when the inner transport fails or ends
     */
    void handshake() throws IOException {
        readLock.lock();
        writeLock.lock();
        try {
            engine.beginHandshake();
            HandshakeStatus status = engine.getHandshakeStatus();
            boolean firstRead = true;
            while (status != HandshakeStatus.FINISHED && status != HandshakeStatus.NOT_HANDSHAKING) {
                switch (status) {
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        SSLEngineResult result = unwrapDuringHandshake();
                        if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            if (!fillNetIn()) {
                                throw new EOFException("the client closed the connection during the TLS handshake");
                            }
                            if (firstRead && PlaintextHttpException.startsLikeHttp(netIn)) {
                                throw new PlaintextHttpException();
                            }
                            firstRead = false;
                        } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                            throw new SSLException("the client closed TLS during the handshake");
                        }
                        status = result.getHandshakeStatus();
                    }
                    case NEED_WRAP -> status = wrapHandshake();
                    case NEED_TASK -> status = runDelegatedTasks();
                    default -> throw new IllegalStateException("unexpected handshake status " + status);
                }
            }
            handshakeDone = true;
        } catch (SSLException e) {
            if (!(e instanceof PlaintextHttpException)) {
                flushAlert();
            }
            throw e;
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    /** During the handshake the engine decrypts no application data, but keep any it might. */
    private SSLEngineResult unwrapDuringHandshake() throws SSLException {
        ByteBuffer target = appIn.compact();
        try {
            SSLEngineResult result = engine.unwrap(netIn, target);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                target.flip();
                growAppIn();
                target = appIn.compact();
                result = engine.unwrap(netIn, target);
            }
            return result;
        } finally {
            target.flip();
        }
    }

    /** Wraps handshake messages until the engine wants something else, then sends them in one write. */
    private HandshakeStatus wrapHandshake() throws IOException {
        netOut.clear();
        HandshakeStatus status;
        do {
            SSLEngineResult result = engine.wrap(NO_BUFFERS, netOut);
            status = result.getHandshakeStatus();
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                if (netOut.position() == 0) {
                    ensureNetOut(engine.getSession().getPacketBufferSize());
                }
                sendNetOut();
            } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                sendNetOut();
                throw new SSLException("the TLS handshake was closed");
            }
        } while (status == HandshakeStatus.NEED_WRAP);
        sendNetOut();
        return status;
    }

    /** Sends the alert a failed engine has pending; best effort, the connection closes next. */
    private void flushAlert() {
        try {
            sendClosingMessages();
        } catch (IOException | RuntimeException ignored) {
            // the connection is failing anyway
        }
    }

    /** Closes the engine's output and sends what it has left: an alert, close_notify. */
    private void sendClosingMessages() throws IOException {
        engine.closeOutbound();
        netOut.clear();
        while (!engine.isOutboundDone()) {
            SSLEngineResult result = engine.wrap(NO_BUFFERS, netOut);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW && netOut.position() > 0) {
                sendNetOut();
            } else if (result.bytesProduced() == 0) {
                break;
            }
        }
        sendNetOut();
    }

    private HandshakeStatus runDelegatedTasks() {
        Runnable task;
        // Connections run on virtual threads: the engine's slow tasks (signatures, key exchange) run here.
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        readLock.lock();
        try {
            if (appIn.hasRemaining()) {
                return drainAppIn(dst);
            }
            int produced = 0;
            while (!inputEnded) {
                if (netIn.hasRemaining()) {
                    SSLEngineResult result = engine.unwrap(netIn, dst);
                    SSLEngineResult.Status status = result.getStatus();
                    if (status == SSLEngineResult.Status.OK) {
                        // As many buffered records as fit go straight into the caller's buffer.
                        produced += result.bytesProduced();
                        afterUnwrap(result.getHandshakeStatus());
                        if (!dst.hasRemaining()) {
                            return produced;
                        }
                        continue;
                    }
                    if (status == SSLEngineResult.Status.CLOSED) {
                        // close_notify: the client sends no more (RFC 8446 §6.1). A TLS 1.2 engine wants
                        // to answer with its own; shutdownOutput() sends it when the protocol ends.
                        inputEnded = true;
                        break;
                    }
                    if (produced > 0) {
                        return produced;
                    }
                    if (status == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        // The next record does not fit the caller's buffer (the engine says so even
                        // before the record is complete): decrypt it aside.
                        status = unwrapIntoAppIn();
                        if (appIn.hasRemaining()) {
                            return drainAppIn(dst);
                        }
                        if (status != SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            continue;
                        }
                    }
                } else if (produced > 0) {
                    return produced;
                }
                if (!fillNetIn()) {
                    // TCP ended without close_notify; HTTP framing tells a truncated message, not TLS.
                    inputEnded = true;
                }
            }
            return produced > 0 ? produced : -1;
        } finally {
            readLock.unlock();
        }
    }

    /** Decrypts one record into {@code appIn}. */
    private SSLEngineResult.Status unwrapIntoAppIn() throws IOException {
        int needed = engine.getSession().getApplicationBufferSize();
        if (appIn.capacity() < needed) {
            appIn = ByteBuffer.allocate(needed);
        }
        appIn.clear();
        SSLEngineResult result;
        try {
            result = engine.unwrap(netIn, appIn);
        } finally {
            appIn.flip();
        }
        if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
            inputEnded = true;
        } else {
            afterUnwrap(result.getHandshakeStatus());
        }
        return result.getStatus();
    }

    private void growAppIn() {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(engine.getSession().getApplicationBufferSize(),
                appIn.capacity() * 2));
        bigger.put(appIn).flip();
        appIn = bigger;
    }

    private int drainAppIn(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        if (n == appIn.remaining()) {
            dst.put(appIn);
        } else {
            int limit = appIn.limit();
            appIn.limit(appIn.position() + n);
            dst.put(appIn);
            appIn.limit(limit);
        }
        return n;
    }

    /** After a record was read: answers post-handshake messages, refuses renegotiation. */
    private void afterUnwrap(HandshakeStatus status) throws IOException {
        while (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED) {
            if (handshakeDone && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
                throw new SSLException("TLS renegotiation is not supported");
            }
            switch (status) {
                case NEED_TASK -> status = runDelegatedTasks();
                case NEED_WRAP -> {
                    // e.g. the answer to a TLS 1.3 KeyUpdate: it goes out on the write side.
                    writeLock.lock();
                    try {
                        status = wrapHandshake();
                    } finally {
                        writeLock.unlock();
                    }
                }
                // More of a post-handshake message is to come: the read loop goes on.
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    return;
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Reads more records from the inner transport; false at its end of stream. */
    private boolean fillNetIn() throws IOException {
        netIn.compact();
        if (!netIn.hasRemaining()) {
            // A record larger than the buffer (the session's packet size may grow after the hello).
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(),
                    netIn.capacity() * 2));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        int n;
        try {
            n = inner.read(netIn);
        } finally {
            netIn.flip();
        }
        return n >= 0;
    }

    @Override
    public void write(ByteBuffer... buffers) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        if (remaining == 0) {
            return;
        }
        writeLock.lock();
        try {
            if (outputShut) {
                throw new ClosedChannelException();
            }
            while (remaining > 0) {
                long records = Math.min(MAX_RECORDS_PER_WRITE, (remaining + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
                ensureNetOut((int) records * packetSize);
                netOut.clear();
                while (remaining > 0 && netOut.remaining() >= packetSize) {
                    SSLEngineResult result = engine.wrap(buffers, netOut);
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the TLS connection is closed");
                    }
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                        break;
                    }
                    if (result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                        throw new SSLException("the TLS engine made no progress (" + result.getHandshakeStatus() + ")");
                    }
                    remaining -= result.bytesConsumed();
                    if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                }
                if (netOut.position() == 0) {
                    // Overflow with an empty buffer: the session now wants larger packets.
                    packetSize = Math.max(packetSize, engine.getSession().getPacketBufferSize());
                    ensureNetOut(packetSize * 2);
                    continue;
                }
                sendNetOut();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureNetOut(int capacity) {
        if (netOut.capacity() < capacity) {
            netOut = ByteBuffer.allocate(capacity);
        }
    }

    /** Writes what {@code netOut} holds (from 0 to its position) to the inner transport. */
    private void sendNetOut() throws IOException {
        netOut.flip();
        if (netOut.hasRemaining()) {
            inner.write(netOut);
        }
        netOut.clear();
    }

    /** Stops reading: a blocked {@link #read} returns -1. */
    @Override
    public void shutdownInput() throws IOException {
        inner.shutdownInput();
    }

    /** Sends close_notify (RFC 8446 §6.1), then FIN. */
    @Override
    public void shutdownOutput() throws IOException {
        writeLock.lock();
        try {
            if (outputShut) {
                return;
            }
            outputShut = true;
            sendClosingMessages();
            inner.shutdownOutput();
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public SocketAddress localAddress() {
        return inner.localAddress();
    }

    @Override
    public SocketAddress remoteAddress() {
        return inner.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    /**
     * Closes at once, without close_notify: this is the abort (a write could block on a client that
     * does not read). The graceful end is {@link #shutdownOutput()} first, as the protocols do.
     */
    @Override
    public void close() throws IOException {
        inner.close();
    }
}
