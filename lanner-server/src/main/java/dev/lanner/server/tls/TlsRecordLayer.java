package dev.lanner.server.tls;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The TLS record layer of one server connection, without I/O: the JDK's {@link SSLEngine} (as
 * Netty, Jetty and Vert.x use it) and the buffers its records pass through. It steps the
 * handshake, decrypts received records into the caller's buffer, encrypts the caller's plaintext
 * into records, answers post-handshake messages, refuses renegotiation and closes with
 * close_notify; each step says what it needs from its connection ({@link HandshakeStep},
 * {@link ReadStep}): ciphertext from the peer, or its output sent. Moving those bytes is the
 * connection's job: blocking in {@link TlsTransportConnection}, on the event loop in
 * {@link TlsEventLoopConnection}.
 *
 * <p>Thread: any, one per side at a time. The layer has a read side ({@link #unwrap}, the input
 * buffer) and a write side ({@link #wrap}, the output buffer) that may run on two threads at once
 * (HTTP/2 reads on the connection's thread while streams write), as the JDK engine allows; the
 * handshake uses both. The connection's read and write locks keep each side to one thread.
 *
 * <p>{@code netIn} holds received ciphertext, {@code netOut} ciphertext not yet sent, {@code appIn}
 * (allocated only when a caller's buffer is too small for a record) plaintext decrypted ahead of
 * the caller. All three are kept flipped: position..limit is what is held. A connection may swap
 * in buffers of its own choosing between calls ({@link #useInput}, {@link #useOutput}).
 */
final class TlsRecordLayer {

    /** At most this many records are encrypted by one {@link #wrap}. */
    static final int MAX_RECORDS_PER_WRITE = 4;
    /** The largest TLS plaintext record (RFC 8446 §5.1). */
    private static final int MAX_PLAINTEXT = 16 * 1024;
    /** A TLS record header: type, version, length (RFC 8446 §5.1). */
    private static final int RECORD_HEADER = 5;
    private static final ByteBuffer[] NO_PLAINTEXT = {ByteBuffer.allocate(0)};

    private final SSLEngine engine;
    /** Where the handshake's delegated tasks run (null: on the calling thread); see {@link #runHandshakeTasksOn}. */
    private Executor handshakeTasks;
    private Phase phase = Phase.NEW;
    /** The largest record the session sends or receives; it may grow after the hello. */
    private volatile int packetSize;

    // Read side.
    private ByteBuffer netIn;
    private ByteBuffer appIn = ByteBuffer.allocate(0);
    private boolean inputEnded;
    private boolean firstInputChecked;

    // Write side.
    private ByteBuffer netOut;
    private final ByteBuffer[] oneSource = new ByteBuffer[1];

    /** Where the connection is in its life. */
    private enum Phase {
        NEW,
        HANDSHAKING,
        /** The engine closed while wrapping handshake messages: its alert is in the output; the next step fails. */
        HANDSHAKE_CLOSED,
        ESTABLISHED
    }

    /** What the handshake needs next. */
    enum HandshakeStep {
        /** Ciphertext from the client: no complete handshake record is buffered. */
        NEEDS_INPUT,
        /** The output holds handshake messages to send before the handshake goes on. */
        NEEDS_FLUSH,
        FINISHED
    }

    /** What {@link #unwrap} stopped at. */
    enum ReadStep {
        /** The caller's buffer took plaintext: what was buffered, or as much as it holds. */
        PLAINTEXT,
        /** The caller's buffer took nothing, and no complete record is buffered: more ciphertext from the peer. */
        NEEDS_INPUT,
        /**
         * A post-handshake message wants an answer (TLS 1.3 KeyUpdate, RFC 8446 §4.6.3): the write
         * side calls {@link #wrapHandshakeMessages()} and sends it; then unwrap again.
         */
        NEEDS_ANSWER,
        /** The caller's buffer took nothing, and the peer sends no more: close_notify (RFC 8446 §6.1), or {@link #endOfInput()}. */
        CLOSED
    }

    TlsRecordLayer(SSLEngine engine) {
        this.engine = engine;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packetSize).flip();
        this.netOut = ByteBuffer.allocate(packetSize).flip();
    }

    SSLEngine engine() {
        return engine;
    }

    /**
     * Runs the first of the handshake's delegated tasks (the ClientHello's: the key exchange and the
     * signature, milliseconds of CPU) on {@code executor} while the calling thread waits, instead of
     * on the calling thread; later ones (the client's Finished) are cheap and run here.
     * For a handshake on a virtual thread: the scheduler's carrier threads then run only short
     * steps, so a connection whose handshake is done is not queued behind the key exchanges of
     * the connections that arrived with it (docs/decisions/014-tls-handshake-tasks.md).
     */
    void runHandshakeTasksOn(Executor executor) {
        this.handshakeTasks = executor;
    }

    /** The size of the session's largest record: what one buffered record may need. */
    int packetSize() {
        return packetSize;
    }

    // --- handshake: both sides ---

    /**
     * Advances the handshake as far as the buffered input allows.
     *
     * @throws PlaintextHttpException when the client's first bytes are a plaintext HTTP request
     * @throws SSLException           when the handshake fails; the connection then sends the
     *                                engine's alert ({@link #closeOutbound()})
     */
    HandshakeStep handshake() throws SSLException {
        switch (phase) {
            case NEW -> {
                engine.beginHandshake();
                phase = Phase.HANDSHAKING;
            }
            case HANDSHAKE_CLOSED -> throw new SSLException("the TLS handshake was closed");
            case ESTABLISHED -> {
                return HandshakeStep.FINISHED;
            }
            case HANDSHAKING -> {
                // goes on below
            }
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        while (true) {
            switch (status) {
                case FINISHED, NOT_HANDSHAKING -> {
                    phase = Phase.ESTABLISHED;
                    return HandshakeStep.FINISHED;
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    refusePlaintextHttp();
                    SSLEngineResult result = unwrapDuringHandshake();
                    if (result.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        return HandshakeStep.NEEDS_INPUT;
                    }
                    if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("the client closed TLS during the handshake");
                    }
                    status = result.getHandshakeStatus();
                }
                case NEED_WRAP -> {
                    if (!wrapHandshakeMessages()) {
                        phase = Phase.HANDSHAKE_CLOSED;
                    }
                    return HandshakeStep.NEEDS_FLUSH;
                }
                case NEED_TASK -> {
                    // Only the ClientHello's tasks (key exchange, signature) go to the executor: the later
                    // ones (the client's Finished) are cheap and must not queue behind other hellos there.
                    Executor executor = handshakeTasks;
                    handshakeTasks = null;
                    status = runDelegatedTasks(executor);
                }
            }
        }
    }

    /** A client that speaks plaintext HTTP to a TLS port gets told so (Kestrel does the same). */
    private void refusePlaintextHttp() throws PlaintextHttpException {
        if (!firstInputChecked && netIn.hasRemaining()) {
            firstInputChecked = true;
            if (PlaintextHttpException.startsLikeHttp(netIn)) {
                throw new PlaintextHttpException();
            }
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

    private HandshakeStatus runDelegatedTasks() throws SSLException {
        return runDelegatedTasks(null);
    }

    /** Runs the engine's tasks on {@code executor} (null: here) and waits for them. */
    private HandshakeStatus runDelegatedTasks(Executor executor) throws SSLException {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            if (executor == null) {
                task.run();
            } else {
                runAndWait(executor, task);
            }
        }
        return engine.getHandshakeStatus();
    }

    private static void runAndWait(Executor executor, Runnable task) throws SSLException {
        FutureTask<Void> future = new FutureTask<>(task, null);
        try {
            executor.execute(future);
        } catch (RejectedExecutionException e) {
            future.run(); // the executor is shutting down: the handshake still completes, here
        }
        try {
            future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SSLException("interrupted during the TLS handshake", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new SSLException("a TLS handshake task failed", e.getCause());
        }
    }

    /** Drops the buffers that hold nothing, for a connection that borrows its event loop's instead. */
    void releaseEmptyBuffers() {
        if (!netIn.hasRemaining()) {
            netIn = ByteBuffer.allocate(0);
        }
        if (!netOut.hasRemaining()) {
            netOut = ByteBuffer.allocate(0);
        }
    }

    // --- read side ---

    /** Received ciphertext not yet decrypted (flipped). */
    ByteBuffer input() {
        return netIn;
    }

    /** From now on holds the received ciphertext: {@code buffer} (flipped) must hold what {@link #input()} did. */
    void useInput(ByteBuffer buffer) {
        netIn = buffer;
    }

    /**
     * The input buffer, made ready to receive ciphertext after what it holds (write mode, grown if
     * full); {@link #endReceive()} after the bytes are in.
     */
    ByteBuffer beginReceive() {
        netIn.compact();
        if (!netIn.hasRemaining()) {
            // A record larger than the buffer (the session's packet size may grow after the hello).
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(engine.getSession().getPacketBufferSize(),
                    netIn.capacity() * 2));
            netIn.flip();
            bigger.put(netIn);
            netIn = bigger;
        }
        return netIn;
    }

    void endReceive() {
        netIn.flip();
    }

    /** The peer's TCP stream ended; without close_notify, HTTP framing tells a truncated message, not TLS. */
    void endOfInput() {
        inputEnded = true;
    }

    boolean inputEnded() {
        return inputEnded;
    }

    /** Whether plaintext or a complete record is buffered: input that the peer's next bytes will not announce. */
    boolean holdsInput() {
        return appIn.hasRemaining() || holdsCompleteRecord();
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
     * Decrypts into {@code dst}: plaintext decrypted ahead first, else as many buffered records as
     * fit (straight into {@code dst}); a record larger than what {@code dst} has left is decrypted
     * aside and delivered over the next calls.
     *
     * @throws SSLException on a bad record, or on an attempt to renegotiate TLS 1.2
     */
    ReadStep unwrap(ByteBuffer dst) throws SSLException {
        if (appIn.hasRemaining()) {
            drainAppIn(dst);
            return ReadStep.PLAINTEXT;
        }
        int start = dst.position();
        while (!inputEnded && dst.hasRemaining()) {
            if (!netIn.hasRemaining()) {
                return dst.position() > start ? ReadStep.PLAINTEXT : ReadStep.NEEDS_INPUT;
            }
            SSLEngineResult result = engine.unwrap(netIn, dst);
            switch (result.getStatus()) {
                case OK -> {
                    if (afterRecord(result.getHandshakeStatus()) == ReadStep.NEEDS_ANSWER) {
                        return ReadStep.NEEDS_ANSWER;
                    }
                }
                case CLOSED -> {
                    // close_notify: the client sends no more (RFC 8446 §6.1). A TLS 1.2 engine wants
                    // to answer with its own; the connection sends it when the protocol shuts output.
                    inputEnded = true;
                }
                case BUFFER_OVERFLOW -> {
                    if (dst.position() > start) {
                        return ReadStep.PLAINTEXT;
                    }
                    // The next record does not fit the caller's buffer (the engine says so even
                    // before the record is complete): decrypt it aside.
                    SSLEngineResult aside = unwrapIntoAppIn();
                    if (aside.getStatus() == SSLEngineResult.Status.OK
                            && afterRecord(aside.getHandshakeStatus()) == ReadStep.NEEDS_ANSWER) {
                        return ReadStep.NEEDS_ANSWER;
                    }
                    if (appIn.hasRemaining()) {
                        drainAppIn(dst);
                        return ReadStep.PLAINTEXT;
                    }
                    if (aside.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        return ReadStep.NEEDS_INPUT;
                    }
                }
                case BUFFER_UNDERFLOW -> {
                    return dst.position() > start ? ReadStep.PLAINTEXT : ReadStep.NEEDS_INPUT;
                }
            }
        }
        return inputEnded && dst.position() == start ? ReadStep.CLOSED : ReadStep.PLAINTEXT;
    }

    /** Decrypts one record into {@code appIn}. */
    private SSLEngineResult unwrapIntoAppIn() throws SSLException {
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
        }
        return result;
    }

    private void growAppIn() {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(engine.getSession().getApplicationBufferSize(),
                appIn.capacity() * 2));
        bigger.put(appIn).flip();
        appIn = bigger;
    }

    private void drainAppIn(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), appIn.remaining());
        if (n == appIn.remaining()) {
            dst.put(appIn);
        } else {
            int limit = appIn.limit();
            appIn.limit(appIn.position() + n);
            dst.put(appIn);
            appIn.limit(limit);
        }
    }

    /**
     * After a record was read: runs the engine's tasks for a post-handshake message, and says
     * whether it wants an answer. TLS 1.2 renegotiation (a ClientHello on an established
     * connection, RFC 5246 §7.4.1.2) is refused: it is a denial-of-service lever, HTTP/2 forbids
     * it (RFC 9113 §9.2.1), and TLS 1.3 removed it (RFC 8446 §4.6 has post-handshake messages
     * instead).
     */
    private ReadStep afterRecord(HandshakeStatus status) throws SSLException {
        while (status != HandshakeStatus.NOT_HANDSHAKING && status != HandshakeStatus.FINISHED) {
            if (phase == Phase.ESTABLISHED && !"TLSv1.3".equals(engine.getSession().getProtocol())) {
                throw new SSLException("TLS renegotiation is not supported");
            }
            switch (status) {
                case NEED_TASK -> status = runDelegatedTasks();
                case NEED_WRAP -> {
                    return ReadStep.NEEDS_ANSWER;
                }
                default -> {
                    // More of a post-handshake message is to come: reading goes on.
                    return ReadStep.PLAINTEXT;
                }
            }
        }
        return ReadStep.PLAINTEXT;
    }

    // --- write side ---

    /** Ciphertext not yet sent (flipped). */
    ByteBuffer output() {
        return netOut;
    }

    /** From now on holds the ciphertext to send: {@code buffer} (flipped) must hold what {@link #output()} did. */
    void useOutput(ByteBuffer buffer) {
        netOut = buffer;
    }

    /** Encrypts up to {@value #MAX_RECORDS_PER_WRITE} records of {@code src} after the output; returns the plaintext consumed. */
    int wrap(ByteBuffer src) throws SSLException {
        oneSource[0] = src;
        try {
            return (int) wrap(oneSource, src.remaining());
        } finally {
            oneSource[0] = null;
        }
    }

    /**
     * Encrypts up to {@value #MAX_RECORDS_PER_WRITE} records of {@code buffers} ({@code remaining}
     * bytes) after the output; returns the plaintext consumed.
     */
    long wrap(ByteBuffer[] buffers, long remaining) throws SSLException {
        int records = (int) Math.min(MAX_RECORDS_PER_WRITE, (remaining + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
        while (true) {
            int pending = netOut.remaining();
            int size = packetSize;
            appendToOutput(records * size);
            long consumed = 0;
            try {
                while (consumed < remaining && netOut.remaining() >= size) {
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
            packetSize = Math.max(size, engine.getSession().getPacketBufferSize());
            records = Math.max(records, 2);
        }
    }

    /**
     * Wraps the handshake messages the engine has to send (a flight of the handshake, or the answer
     * to a post-handshake message) after the output.
     *
     * @return false when the engine closed instead: the output then ends with its alert, which the
     *         connection sends before it fails
     */
    boolean wrapHandshakeMessages() throws SSLException {
        appendToOutput(packetSize);
        try {
            while (true) {
                SSLEngineResult result = engine.wrap(NO_PLAINTEXT, netOut);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    return false;
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    // A flight larger than the room left (a long certificate chain): make more.
                    growOutput();
                } else if (result.getHandshakeStatus() != HandshakeStatus.NEED_WRAP) {
                    return true;
                }
            }
        } finally {
            netOut.flip();
        }
    }

    /**
     * Closes the engine's output: what it has left to say, close_notify (RFC 8446 §6.1, RFC 5246
     * §7.2.1) or the alert of a failed handshake (RFC 8446 §6.2), goes into the output.
     */
    void closeOutbound() throws SSLException {
        engine.closeOutbound();
        appendToOutput(packetSize);
        try {
            while (!engine.isOutboundDone()) {
                SSLEngineResult result = engine.wrap(NO_PLAINTEXT, netOut);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    growOutput();
                } else if (result.bytesProduced() == 0) {
                    break;
                }
            }
        } finally {
            netOut.flip();
        }
    }

    /** In the middle of an append: makes room for another packet. */
    private void growOutput() {
        netOut.flip();
        appendToOutput(Math.max(packetSize, engine.getSession().getPacketBufferSize()));
    }

    /**
     * Makes the output ready to take {@code room} bytes after the ciphertext it holds (write mode,
     * from the front); {@code flip()} ends the append.
     */
    private void appendToOutput(int room) {
        int pending = netOut.remaining();
        if (netOut.capacity() - pending < room) {
            ByteBuffer bigger = ByteBuffer.allocate(pending + room);
            bigger.put(netOut);
            netOut = bigger;
        } else {
            netOut.compact();
        }
    }
}
