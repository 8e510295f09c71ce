package dev.lanner.server.tls;

import dev.lanner.server.tls.TlsRecordLayer.ReadStep;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.LoopBufferLease;
import dev.lanner.server.transport.ReadinessListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * TLS over an event-loop connection, so that a protocol serves HTTPS inline on the loop as it
 * serves plaintext ({@code Http1Connection}): {@link #readNow} and {@link #writeNow} decrypt and
 * encrypt on the loop thread, never blocking, with the record layer the blocking calls of
 * {@link TlsTransportConnection} (inherited, for the connection's virtual thread) use too. The
 * two take turns on one connection: a blocking write sends what a non-blocking one left first,
 * a blocking read delivers what the loop left held.
 *
 * <p>Thread: {@link #readNow}, {@link #writeNow} and the readiness callbacks run on the event
 * loop; the blocking calls on any other thread. A blocking call holds its side's lock while the
 * inner transport blocks, so the loop only ever {@code tryLock}s: it never waits for a thread that
 * waits for the network.
 *
 * <p>Buffers: after the handshake the connection keeps no record buffers of its own while idle.
 * A non-blocking call reads into and encrypts into direct buffers that every connection of the
 * loop borrows in turn ({@link LoopBufferLease}: socket I/O then copies nothing, and the buffers
 * stay in cache); the connection keeps in its own heap buffers only what is left over, a partial
 * record or ciphertext the socket did not take (docs/decisions/002-tls-engine.md).
 *
 * <p>TLS breaks two assumptions of readiness callbacks; this class restores them by standing
 * between the inner connection and the protocol's listener:
 * <ul>
 *   <li>Input: the records pulled from the socket may hold more than one {@code readNow}
 *   delivers (pipelined requests, a record larger than the caller's buffer), and the socket then
 *   reports nothing new. After each {@code onReadable}, while read interest is armed, the TLS
 *   layer holds input and the call took some, {@code onReadable} comes again; {@link #armRead}
 *   with input held, outside a callback, wakes the loop to deliver it.</li>
 *   <li>Output: {@code writeNow} consumes plaintext whose ciphertext the socket may not take. The
 *   TLS layer keeps it and writes it when the socket is writable; the protocol's
 *   {@code onWritable} (if it armed write interest) comes only once it is all out. A close in
 *   that state lingers until it is (at most {@value #CLOSE_FLUSH_TIMEOUT_SECONDS} s), as a kernel
 *   sends what a closed socket's buffer holds.</li>
 * </ul>
 *
 * <p>The wake-up is a write interest on the inner connection: a socket that can take bytes
 * reports it at once, and {@code onWritable} delivers held input. ({@link EventLoopConnection}
 * offers no way to run a task on the loop, and this needs none. While the client is not reading,
 * the held input waits, as a protocol applying backpressure would have it wait anyway.)
 */
final class TlsEventLoopConnection extends TlsTransportConnection implements EventLoopConnection {

    /** Calls for held input after one readiness event, before the loop's other connections get a turn. */
    private static final int MAX_HELD_INPUT_ROUNDS = 16;
    private static final long CLOSE_FLUSH_TIMEOUT_SECONDS = 10;
    /**
     * The loop's buffer for one received record. Heap, like the connection's own buffers of the
     * handshake: the engine's AES-GCM code then sees one buffer class on both paths, and the first
     * connections of a new burst do not deoptimize its compiled form (a direct loop buffer did, and
     * its recompilation took the core for a quarter of a second; decision 014).
     */
    private static final LoopBufferLease.Slot RECORD_INPUT = new LoopBufferLease.Slot("tls-record-input", false);
    /** The loop's buffer for the records of one {@link #writeNow}. */
    private static final LoopBufferLease.Slot RECORD_OUTPUT = new LoopBufferLease.Slot("tls-record-output", false);

    private final EventLoopConnection loopInner;
    private final ScheduledExecutorService timer;
    private final LoopBufferLease inputLease;
    private final LoopBufferLease outputLease;
    private final ReadinessListener readiness = new Readiness();
    private volatile ReadinessListener listener;
    private volatile boolean readArmed;
    private volatile boolean writeArmed;
    private volatile boolean closed;
    /** Loop thread only: a callback from the inner connection runs (it delivers held input itself). */
    private boolean inCallback;
    /** {@link #readNow} calls that returned data or the end: the progress the loop watches. */
    private int deliveries;
    private volatile ScheduledFuture<?> closeDeadline;

    TlsEventLoopConnection(EventLoopConnection inner, SSLEngine engine, ScheduledExecutorService timer) {
        super(inner, engine);
        this.loopInner = inner;
        this.timer = timer;
        this.inputLease = new LoopBufferLease(inner, RECORD_INPUT);
        this.outputLease = new LoopBufferLease(inner, RECORD_OUTPUT);
    }

    /** The handshake (blocking, on the connection's thread); then the connection lets go of its empty buffers. */
    @Override
    void handshake() throws IOException {
        super.handshake();
        readLock.lock();
        writeLock.lock();
        try {
            records.releaseEmptyBuffers();
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    /**
     * On the loop, a buffer of the connection's own that the call emptied is dropped: the loop's shared buffer
     * serves the next call, so an idle connection holds none. (A TLS 1.3 client's first request arrives behind
     * its Finished message, so the input buffer still held it when the handshake released the empty ones: 16 KiB
     * per idle connection, until this.)
     */
    private ByteBuffer dropIfEmpty(ByteBuffer buffer) {
        return buffer.hasRemaining() || buffer.capacity() == 0 || !loopInner.inEventLoop()
                ? buffer : ByteBuffer.allocate(0);
    }

    /** The capacity of the record buffers the connection holds of its own (0 when idle on its loop); for tests. */
    int ownBufferCapacity() {
        return records.input().capacity() + records.output().capacity();
    }

    // --- read side, non-blocking ---

    /**
     * What the inner transport has now, decrypted; 0 when no complete record is there yet (or a
     * blocking reader holds the read side: it will deliver), -1 at the end.
     */
    @Override
    public int readNow(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining() || !readLock.tryLock()) {
            return 0;
        }
        try {
            int n;
            records.useInput(inputLease.lend(records.input(), records.packetSize()));
            try {
                n = decryptAvailable(dst);
            } finally {
                records.useInput(dropIfEmpty(inputLease.takeBack(records.input(), records.packetSize())));
            }
            if (n != 0) {
                deliveries++;
            }
            return noteInputHeld(n);
        } finally {
            readLock.unlock();
        }
    }

    /** Decrypts what is buffered, reading the inner transport once when no complete record is. */
    private int decryptAvailable(ByteBuffer dst) throws IOException {
        int start = dst.position();
        while (true) {
            ReadStep step = records.unwrap(dst);
            int produced = dst.position() - start;
            switch (step) {
                case PLAINTEXT -> {
                    return produced;
                }
                case NEEDS_ANSWER -> answerNow();
                case NEEDS_INPUT -> {
                    if (produced > 0) {
                        return produced;
                    }
                    int n = receiveNow();
                    if (n < 0) {
                        records.endOfInput();
                    } else if (n == 0) {
                        return 0;
                    }
                }
                case CLOSED -> {
                    return produced > 0 ? produced : -1;
                }
            }
        }
    }

    private int receiveNow() throws IOException {
        ByteBuffer space = records.beginReceive();
        try {
            return loopInner.readNow(space);
        } finally {
            records.endReceive();
        }
    }

    /**
     * Answers a post-handshake message without blocking: ciphertext the socket does not take waits
     * for writability. If a thread holds the write side, the JDK engine puts the answer before that
     * thread's next record.
     */
    private void answerNow() throws IOException {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            boolean open = records.wrapHandshakeMessages();
            flushNow();
            if (!open) {
                throw new SSLException("the TLS handshake was closed");
            }
        } finally {
            writeLock.unlock();
        }
    }

    // --- write side, non-blocking ---

    /**
     * Encrypts up to {@value TlsRecordLayer#MAX_RECORDS_PER_WRITE} records of {@code src} and
     * writes what the socket takes; returns the plaintext consumed. Ciphertext the socket did not
     * take stays in the record layer (with the inner write interest armed); while any does, this
     * consumes nothing and returns 0, so what waits is bounded. Also 0 while a blocking writer
     * holds the write side.
     */
    @Override
    public int writeNow(ByteBuffer src) throws IOException {
        if (!src.hasRemaining() || !writeLock.tryLock()) {
            return 0;
        }
        try {
            ensureOutputOpen();
            if (!flushNow()) {
                return 0;
            }
            records.useOutput(outputLease.lend(records.output(),
                    TlsRecordLayer.MAX_RECORDS_PER_WRITE * records.packetSize()));
            try {
                int consumed = records.wrap(src);
                flushNow();
                return consumed;
            } finally {
                records.useOutput(dropIfEmpty(outputLease.takeBack(records.output(), records.packetSize())));
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Writes what the output holds as far as the socket takes it, arming the inner write interest
     * for the rest. True when nothing is left (then the FIN of a shutdown follows).
     */
    private boolean flushNow() throws IOException {
        ByteBuffer ciphertext = records.output();
        while (ciphertext.hasRemaining()) {
            if (loopInner.writeNow(ciphertext) == 0) {
                loopInner.armWrite();
                return false;
            }
        }
        outputSent();
        return true;
    }

    /**
     * On writability: writes what non-blocking calls left. True when nothing is left, or when a
     * blocking writer holds the write side (it sends the leftovers first).
     */
    private boolean flushLeftovers() throws IOException {
        if (!writeLock.tryLock()) {
            return true;
        }
        try {
            return flushNow();
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends close_notify (RFC 8446 §6.1), then FIN. The protocols call this from the loop and from
     * the connection's thread alike (the interface has one shutdown), so it picks the call that
     * suits the caller: {@link #shutdownOutputNow()} on the loop, the blocking one elsewhere.
     */
    @Override
    public void shutdownOutput() throws IOException {
        if (loopInner.inEventLoop()) {
            shutdownOutputNow();
        } else {
            super.shutdownOutput();
        }
    }

    /** The shutdown on the loop, never blocking: what the socket does not take now goes out (FIN last) when it is writable. */
    private void shutdownOutputNow() throws IOException {
        if (!writeLock.tryLock()) {
            // A thread is writing; the loop cannot wait for it. Cannot happen with the protocols
            // here (they never write from a thread while the loop serves); abort rather than block.
            close();
            return;
        }
        try {
            if (queueCloseNotify()) {
                flushNow();
            }
        } finally {
            writeLock.unlock();
        }
    }

    // --- readiness ---

    @Override
    public void setListener(ReadinessListener listener) {
        this.listener = listener;
        loopInner.setListener(listener == null ? null : readiness);
    }

    @Override
    public void armRead() {
        readArmed = true;
        loopInner.armRead();
        if (holdsInput() && !(loopInner.inEventLoop() && inCallback)) {
            loopInner.armWrite();
        }
    }

    @Override
    public void disarmRead() {
        readArmed = false;
        loopInner.disarmRead();
    }

    @Override
    public void armWrite() {
        writeArmed = true;
        loopInner.armWrite();
    }

    @Override
    public <T> T loopLocal(Class<T> type, Supplier<T> factory) {
        return loopInner.loopLocal(type, factory);
    }

    @Override
    public void execute(Runnable task) {
        loopInner.execute(task);
    }

    @Override
    public EventLoopConnection adopt(java.nio.channels.SocketChannel channel) throws IOException {
        return loopInner.adopt(channel);
    }

    @Override
    public boolean inEventLoop() {
        return loopInner.inEventLoop();
    }

    @Override
    public boolean isOpen() {
        return !closed && loopInner.isOpen();
    }

    /**
     * Closes without close_notify (see {@link TlsTransportConnection#close()}); ciphertext of
     * plaintext that {@link #writeNow} already consumed goes out first, without blocking.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean flushed;
        try {
            flushed = flushLeftovers();
        } catch (IOException e) {
            flushed = true;
        }
        if (flushed) {
            loopInner.close();
            return;
        }
        // The inner write interest is armed: onWritable writes the rest, then closes.
        loopInner.disarmRead();
        closeDeadline = timer.schedule(this::closeInner, CLOSE_FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!loopInner.isOpen()) {
            closeDeadline.cancel(false);
        }
    }

    private void closeInner() {
        try {
            loopInner.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /**
     * Calls {@code onReadable}, then again while read interest is armed, input is held and the
     * last call took some (a call that took nothing waits for something else).
     */
    private void serveReadable(ReadinessListener l) {
        int before = deliveries;
        l.onReadable();
        for (int round = 1; readArmed && !closed && deliveries != before && holdsInput(); round++) {
            if (round == MAX_HELD_INPUT_ROUNDS) {
                loopInner.armWrite();
                return;
            }
            before = deliveries;
            l.onReadable();
        }
    }

    /** What the inner connection reports, on the loop thread. */
    private final class Readiness implements ReadinessListener {

        @Override
        public void onReadable() {
            ReadinessListener l = listener;
            if (l == null || closed) {
                return;
            }
            inCallback = true;
            try {
                serveReadable(l);
            } finally {
                inCallback = false;
            }
        }

        @Override
        public void onWritable() {
            boolean flushed;
            try {
                flushed = flushLeftovers();
            } catch (IOException e) {
                // The client is gone; the protocol hears it from its next call, or from onClosed.
                closeInner();
                return;
            }
            if (closed) {
                if (flushed) {
                    closeInner();
                }
                return;
            }
            ReadinessListener l = listener;
            if (l == null) {
                return;
            }
            inCallback = true;
            try {
                if (flushed && writeArmed) {
                    writeArmed = false;
                    l.onWritable();
                }
                if (readArmed && !closed && holdsInput()) {
                    serveReadable(l);
                }
            } finally {
                inCallback = false;
            }
        }

        @Override
        public void onClosed() {
            ScheduledFuture<?> deadline = closeDeadline;
            if (deadline != null) {
                deadline.cancel(false);
            }
            ReadinessListener l = listener;
            if (l != null) {
                l.onClosed();
            }
        }
    }
}
