package dev.lanner.server.tls;

import dev.lanner.server.transport.EventLoopConnection;
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
 * <p>{@code netIn} holds received records, {@code netOut} encrypted records not yet written;
 * {@code appIn} (allocated only when a caller's buffer is too small for a record) holds plaintext
 * decrypted ahead of the caller. Reads decrypt straight into the caller's buffer, as many buffered
 * records as fit; writes pack the caller's buffers into as few records as the engine allows and
 * hand them to the inner transport in one write. The connection's own buffers are on the heap and
 * empty until used: after the handshake a connection served on its event loop reads and encrypts
 * into direct buffers that every connection of the loop borrows in turn (socket I/O then copies
 * nothing, and the buffers stay in cache), keeping in its own buffers only what is left over — a
 * partial record, ciphertext the socket did not take (docs/decisions/002-tls-engine.md).
 *
 * <p>Every record operation is here once, in two modes: blocking (the {@link TransportConnection}
 * calls, on a virtual thread) and non-blocking (on an event loop, for
 * {@link TlsEventLoopConnection}, which reads with the inner transport's {@code readNow} and leaves
 * in {@code netOut} what its {@code writeNow} did not take). A blocking write sends such leftovers
 * first, so the two modes may take turns on one connection.
 *
 * <p>One thread may read while another writes (HTTP/2 reads on the connection's thread while
 * streams write): the read side and the write side each have a lock, and a post-handshake message
 * that needs an answer (TLS 1.3 KeyUpdate) takes the write lock from the reader. A blocking call
 * holds its lock while the inner transport blocks, so the non-blocking mode only ever
 * {@code tryLock}s: an event loop never waits for a thread that waits for the network. TLS 1.2
 * renegotiation is refused: it is a denial-of-service lever, HTTP/2 forbids it (RFC 9113 §9.2.1),
 * and TLS 1.3 removed it.
 */
class TlsTransportConnection implements TransportConnection {

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final ByteBuffer[] NO_BUFFERS = {EMPTY};
    /** At most this many records are encrypted for one write of the inner transport. */
    private static final int MAX_RECORDS_PER_WRITE = 4;
    /** The largest TLS plaintext record (RFC 8446 §5.1). */
    private static final int MAX_PLAINTEXT = 16 * 1024;
    /** A TLS record header: type, version, length (RFC 8446 §5.1). */
    private static final int RECORD_HEADER = 5;

    private final TransportConnection inner;
    /** The inner transport when an event loop drives it (the non-blocking mode needs it), else null. */
    private final EventLoopConnection loopInner;
    private final SSLEngine engine;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    /** The loop's shared buffers, looked up on first use; loop thread only. */
    private LoopBuffers loopBuffers;

    // Read side, guarded by readLock. Both buffers are kept flipped: position..limit is unread.
    private ByteBuffer netIn;
    private ByteBuffer appIn = ByteBuffer.allocate(0);
    private boolean inputEnded;
    private boolean handshakeDone;
    /**
     * Whether the read side holds what the caller has not had — plaintext, a complete record, or the
     * end of input — which no readiness of the inner transport will announce. Set after each read.
     */
    private volatile boolean inputHeld;

    // Write side, guarded by writeLock. netOut is kept flipped: position..limit is not yet written.
    private ByteBuffer netOut;
    private final ByteBuffer[] oneSource = new ByteBuffer[1];
    private int packetSize;
    private boolean outputShut;
    /** Non-blocking mode: FIN follows once {@code netOut} (ending with close_notify) is written. */
    private boolean finAfterFlush;

    TlsTransportConnection(TransportConnection inner, SSLEngine engine) {
        this.inner = inner;
        this.loopInner = inner instanceof EventLoopConnection loop ? loop : null;
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packetSize).flip();
        this.netOut = ByteBuffer.allocate(packetSize).flip();
    }

    SSLEngine engine() {
        return engine;
    }

    /**
     * Direct buffers that the TLS connections of one event loop borrow, one at a time, for a
     * non-blocking read or write; never held between calls.
     */
    private static final class LoopBuffers {
        final int packetSize;
        final ByteBuffer netIn;
        final ByteBuffer netOut;

        LoopBuffers(int packetSize) {
            this.packetSize = packetSize;
            netIn = ByteBuffer.allocateDirect(packetSize);
            netOut = ByteBuffer.allocateDirect(MAX_RECORDS_PER_WRITE * packetSize);
        }
    }

    /**
     * The loop's buffers, when the caller is the loop thread and they hold this connection's
     * records (a session that negotiated larger records than the loop's first one keeps its own).
     */
    private LoopBuffers loopBuffers() {
        if (!loopInner.inEventLoop()) {
            return null;
        }
        if (loopBuffers == null) {
            int size = packetSize;
            loopBuffers = loopInner.loopLocal(LoopBuffers.class, () -> new LoopBuffers(size));
        }
        return packetSize <= loopBuffers.packetSize ? loopBuffers : null;
    }

    /**
     * After a non-blocking call on {@code borrowed}: what it still holds (flipped) moves to the
     * connection's own buffer {@code own}; returns the buffer the connection keeps. {@code used} is
     * what the field holds now: a buffer that grew during the call is the connection's already.
     */
    private ByteBuffer keepLeftover(ByteBuffer used, ByteBuffer borrowed, ByteBuffer own) {
        if (used != borrowed) {
            return used;
        }
        if (!used.hasRemaining()) {
            return own;
        }
        ByteBuffer target = own.capacity() >= used.remaining() ? own.clear()
                : ByteBuffer.allocate(Math.max(used.remaining(), packetSize));
        return target.put(used).flip();
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
                            if (fillNetIn(true) < 0) {
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
                    case NEED_WRAP -> status = wrapHandshake(true);
                    case NEED_TASK -> status = runDelegatedTasks();
                    default -> throw new IllegalStateException("unexpected handshake status " + status);
                }
            }
            handshakeDone = true;
            // The client's first request may have come with its Finished message.
            noteInputHeld(0);
            if (loopInner != null) {
                // Served on the loop, the connection borrows its buffers: keep none while idle.
                if (!netIn.hasRemaining()) {
                    netIn = ByteBuffer.allocate(0);
                }
                if (!netOut.hasRemaining()) {
                    netOut = ByteBuffer.allocate(0);
                }
            }
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

    /**
     * Wraps handshake messages until the engine wants something else, then sends them after what
     * {@code netOut} already holds: all of it when {@code blocking}, else what the socket takes.
     */
    private HandshakeStatus wrapHandshake(boolean blocking) throws IOException {
        HandshakeStatus status;
        boolean closed = false;
        appendToNetOut(packetSize);
        try {
            do {
                SSLEngineResult result = engine.wrap(NO_BUFFERS, netOut);
                status = result.getHandshakeStatus();
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    // A flight larger than the room left (a long certificate chain): make more.
                    netOut.flip();
                    appendToNetOut(Math.max(packetSize, engine.getSession().getPacketBufferSize()));
                    status = HandshakeStatus.NEED_WRAP;
                } else if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    closed = true;
                    break;
                }
            } while (status == HandshakeStatus.NEED_WRAP);
        } finally {
            netOut.flip();
        }
        sendNetOut(blocking);
        if (closed) {
            throw new SSLException("the TLS handshake was closed");
        }
        return status;
    }

    /** Sends the alert a failed engine has pending; best effort, the connection closes next. */
    private void flushAlert() {
        try {
            wrapClosingMessages();
            sendNetOut(true);
        } catch (IOException | RuntimeException ignored) {
            // the connection is failing anyway
        }
    }

    /** Closes the engine's output and puts what it has left (an alert, close_notify) into {@code netOut}. */
    private void wrapClosingMessages() throws SSLException {
        engine.closeOutbound();
        appendToNetOut(packetSize);
        try {
            while (!engine.isOutboundDone()) {
                SSLEngineResult result = engine.wrap(NO_BUFFERS, netOut);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    netOut.flip();
                    appendToNetOut(Math.max(packetSize, engine.getSession().getPacketBufferSize()));
                } else if (result.bytesProduced() == 0) {
                    break;
                }
            }
        } finally {
            netOut.flip();
        }
    }

    private HandshakeStatus runDelegatedTasks() {
        Runnable task;
        // The engine's slow tasks (signatures, key exchange) run on the calling thread: the
        // handshake is on the connection's virtual thread; after it only cheap ones remain.
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
        return engine.getHandshakeStatus();
    }

    // --- read side ---

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        readLock.lock();
        try {
            return noteInputHeld(readRecords(dst, true));
        } finally {
            readLock.unlock();
        }
    }

    /**
     * The non-blocking read: what the inner transport has now, decrypted; 0 when no complete record
     * is there yet (or a blocking reader holds the read side: it will deliver), -1 at the end.
     */
    final int readNonBlocking(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining() || !readLock.tryLock()) {
            return 0;
        }
        try {
            ByteBuffer own = netIn;
            LoopBuffers shared = own.hasRemaining() ? null : loopBuffers();
            ByteBuffer borrowed = shared == null ? null : shared.netIn.clear().flip();
            int n;
            if (borrowed == null) {
                n = readRecords(dst, false);
            } else {
                netIn = borrowed;
                try {
                    n = readRecords(dst, false);
                } finally {
                    netIn = keepLeftover(netIn, borrowed, own);
                }
            }
            return noteInputHeld(n);
        } finally {
            readLock.unlock();
        }
    }

    /** See {@link #inputHeld}. */
    final boolean holdsInput() {
        return inputHeld;
    }

    private int noteInputHeld(int result) {
        inputHeld = appIn.hasRemaining() || holdsCompleteRecord() || (inputEnded && result >= 0);
        return result;
    }

    private boolean holdsCompleteRecord() {
        int available = netIn.remaining();
        if (available < RECORD_HEADER) {
            return false;
        }
        int p = netIn.position();
        int length = (netIn.get(p + 3) & 0xff) << 8 | (netIn.get(p + 4) & 0xff);
        return available >= RECORD_HEADER + length;
    }

    /**
     * Decrypts into {@code dst}: buffered plaintext first, else as many records as fit, reading the
     * inner transport when no complete record is buffered — blocking until one is, or (non-blocking)
     * once, returning 0 when it had nothing. Returns the count, or -1 at the end of input.
     */
    private int readRecords(ByteBuffer dst, boolean blocking) throws IOException {
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
                    afterUnwrap(result.getHandshakeStatus(), blocking);
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
                    status = unwrapIntoAppIn(blocking);
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
            int n = fillNetIn(blocking);
            if (n < 0) {
                // TCP ended without close_notify; HTTP framing tells a truncated message, not TLS.
                inputEnded = true;
            } else if (n == 0) {
                return produced;
            }
        }
        return produced > 0 ? produced : -1;
    }

    /** Decrypts one record into {@code appIn}. */
    private SSLEngineResult.Status unwrapIntoAppIn(boolean blocking) throws IOException {
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
            afterUnwrap(result.getHandshakeStatus(), blocking);
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
    private void afterUnwrap(HandshakeStatus status, boolean blocking) throws IOException {
        while (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED) {
            if (handshakeDone && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
                throw new SSLException("TLS renegotiation is not supported");
            }
            switch (status) {
                case NEED_TASK -> status = runDelegatedTasks();
                case NEED_WRAP -> {
                    // e.g. the answer to a TLS 1.3 KeyUpdate: it goes out on the write side. If a
                    // writer holds that side, the engine puts the answer before its next record.
                    if (blocking) {
                        writeLock.lock();
                    } else if (!writeLock.tryLock()) {
                        return;
                    }
                    try {
                        status = wrapHandshake(blocking);
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

    /**
     * Reads more records from the inner transport: blocking, or what it has now (non-blocking).
     * Returns the count (0 only when non-blocking), -1 at its end of stream.
     */
    private int fillNetIn(boolean blocking) throws IOException {
        netIn.compact();
        if (!netIn.hasRemaining()) {
            // A record larger than the buffer (the session's packet size may grow after the hello).
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(),
                    netIn.capacity() * 2));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        try {
            return blocking ? inner.read(netIn) : loopInner.readNow(netIn);
        } finally {
            netIn.flip();
        }
    }

    // --- write side ---

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
            // What a non-blocking write left goes first.
            sendNetOut(true);
            while (remaining > 0) {
                remaining -= wrapRecords(buffers, remaining);
                sendNetOut(true);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The non-blocking write: encrypts up to {@value #MAX_RECORDS_PER_WRITE} records of {@code src}
     * and writes what the socket takes; returns the plaintext consumed. Ciphertext the socket did not
     * take stays in {@code netOut} (with the inner write interest armed, see {@link #flushNonBlocking});
     * while any does, this consumes nothing and returns 0, so what waits is bounded. Also 0 while a
     * blocking writer holds the write side.
     */
    final int writeNonBlocking(ByteBuffer src) throws IOException {
        if (!src.hasRemaining() || !writeLock.tryLock()) {
            return 0;
        }
        try {
            if (outputShut) {
                throw new ClosedChannelException();
            }
            if (!sendNetOut(false)) {
                return 0;
            }
            ByteBuffer own = netOut;
            LoopBuffers shared = loopBuffers();
            ByteBuffer borrowed = shared == null ? null : shared.netOut.clear().flip();
            if (borrowed != null) {
                netOut = borrowed;
            }
            oneSource[0] = src;
            try {
                int consumed = (int) wrapRecords(oneSource, src.remaining());
                sendNetOut(false);
                return consumed;
            } finally {
                oneSource[0] = null;
                if (borrowed != null) {
                    netOut = keepLeftover(netOut, borrowed, own);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * On the event loop, when the inner transport is writable: writes what a non-blocking write
     * left, then the FIN a non-blocking {@link #shutdownOutput()} queued. True when nothing is left
     * (or a blocking writer holds the write side: it sends the leftovers first).
     */
    final boolean flushNonBlocking() throws IOException {
        if (!writeLock.tryLock()) {
            return true;
        }
        try {
            return sendNetOut(false);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Encrypts up to {@value #MAX_RECORDS_PER_WRITE} records of {@code buffers} ({@code remaining}
     * bytes) after what {@code netOut} holds; returns the plaintext consumed.
     */
    private long wrapRecords(ByteBuffer[] buffers, long remaining) throws IOException {
        int records = (int) Math.min(MAX_RECORDS_PER_WRITE, (remaining + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
        while (true) {
            int pending = netOut.remaining();
            appendToNetOut(records * packetSize);
            long consumed = 0;
            try {
                while (consumed < remaining && netOut.remaining() >= packetSize) {
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
                    consumed += result.bytesConsumed();
                    if (result.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runDelegatedTasks();
                    }
                }
            } finally {
                netOut.flip();
            }
            if (netOut.remaining() > pending) {
                return consumed;
            }
            // Overflow with room for a packet: the session now wants larger packets.
            packetSize = Math.max(packetSize, engine.getSession().getPacketBufferSize());
            records = Math.max(records, 2);
        }
    }

    /**
     * Makes {@code netOut} ready to take {@code room} bytes after the ciphertext it holds (write
     * mode, from the front); {@code flip()} ends the append.
     */
    private void appendToNetOut(int room) {
        int pending = netOut.remaining();
        if (netOut.capacity() - pending < room) {
            ByteBuffer bigger = ByteBuffer.allocate(pending + room);
            bigger.put(netOut);
            netOut = bigger;
        } else {
            netOut.compact();
        }
    }

    /**
     * Writes what {@code netOut} holds to the inner transport: all of it when {@code blocking}; else
     * what the socket takes now, arming the inner write interest for the rest (and for the FIN of
     * a non-blocking shutdown, which follows the last byte). True when nothing is left.
     */
    private boolean sendNetOut(boolean blocking) throws IOException {
        if (blocking) {
            if (netOut.hasRemaining()) {
                inner.write(netOut);
            }
        } else {
            while (netOut.hasRemaining()) {
                if (loopInner.writeNow(netOut) == 0) {
                    loopInner.armWrite();
                    return false;
                }
            }
        }
        if (finAfterFlush) {
            finAfterFlush = false;
            inner.shutdownOutput();
        }
        return true;
    }

    /** Stops reading: a blocked {@link #read} returns -1. */
    @Override
    public void shutdownInput() throws IOException {
        inner.shutdownInput();
    }

    /**
     * Sends close_notify (RFC 8446 §6.1), then FIN. On the event loop it never blocks: what the
     * socket does not take now goes out (FIN last) when it is writable.
     */
    @Override
    public void shutdownOutput() throws IOException {
        boolean blocking = loopInner == null || !loopInner.inEventLoop();
        if (blocking) {
            writeLock.lock();
        } else if (!writeLock.tryLock()) {
            // A thread is writing; the loop cannot wait for it. Cannot happen with the protocols
            // here (they never write from a thread while the loop serves); abort rather than block.
            close();
            return;
        }
        try {
            if (outputShut) {
                return;
            }
            outputShut = true;
            wrapClosingMessages();
            finAfterFlush = true;
            sendNetOut(blocking);
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
