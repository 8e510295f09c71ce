package dev.lanner.server.tls;

import dev.lanner.server.tls.TlsRecordLayer.HandshakeStep;
import dev.lanner.server.transport.TransportConnection;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/**
 * A TLS connection over another transport, in the blocking style: {@link #handshake}, {@link #read}
 * and {@link #write} move the records of a {@link TlsRecordLayer} with the inner transport's
 * blocking calls, until they are done. Reads decrypt straight into the caller's buffer, as many
 * buffered records as fit; writes pack the caller's buffers into as few records as the engine
 * allows and hand them to the inner transport in one write.
 *
 * <p>Thread: the connection's virtual thread, and any thread that writes (HTTP/2 streams write
 * while the connection's thread reads). The read side and the write side each have a lock, held
 * while the inner transport blocks; the answer to a post-handshake message (TLS 1.3 KeyUpdate,
 * RFC 8446 §4.6.3) takes the write lock from the reader. {@link TlsEventLoopConnection} adds the
 * non-blocking calls of an event loop, which only ever {@code tryLock} these locks.
 */
class TlsTransportConnection implements TransportConnection {

    private final TransportConnection inner;
    final TlsRecordLayer records;
    final ReentrantLock readLock = new ReentrantLock();
    final ReentrantLock writeLock = new ReentrantLock();
    /**
     * Whether the read side holds what the caller has not had (plaintext, a complete record, or the
     * end of input), which no readiness of the inner transport will announce. Set after each read.
     */
    private volatile boolean inputHeld;
    /** The write side's life; guarded by {@link #writeLock}. */
    private Output output = Output.OPEN;

    /** Where the write side is in its life. */
    private enum Output {
        OPEN,
        /** close_notify is in the output; the FIN follows its last byte. */
        CLOSING,
        /** close_notify and FIN are sent. */
        SHUT
    }

    TlsTransportConnection(TransportConnection inner, SSLEngine engine) {
        this.inner = inner;
        this.records = new TlsRecordLayer(engine);
    }

    SSLEngine engine() {
        return records.engine();
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
            HandshakeStep step;
            while ((step = records.handshake()) != HandshakeStep.FINISHED) {
                if (step == HandshakeStep.NEEDS_FLUSH) {
                    flush();
                } else if (receive() < 0) {
                    throw new EOFException("the client closed the connection during the TLS handshake");
                }
            }
            // The client's first request may have come with its Finished message.
            noteInputHeld(0);
        } catch (SSLException e) {
            if (!(e instanceof PlaintextHttpException)) {
                sendAlert();
            }
            throw e;
        } finally {
            writeLock.unlock();
            readLock.unlock();
        }
    }

    /** Sends the alert a failed engine has pending; best effort, the connection closes next. */
    private void sendAlert() {
        try {
            records.closeOutbound();
            flush();
        } catch (IOException | RuntimeException ignored) {
            // the connection is failing anyway
        }
    }

    // --- read side ---

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        readLock.lock();
        try {
            int start = dst.position();
            while (true) {
                switch (records.unwrap(dst)) {
                    case PLAINTEXT -> {
                        return noteInputHeld(dst.position() - start);
                    }
                    case NEEDS_ANSWER -> answer();
                    case NEEDS_INPUT -> {
                        if (dst.position() > start) {
                            return noteInputHeld(dst.position() - start);
                        }
                        if (receive() < 0) {
                            records.endOfInput();
                        }
                    }
                    case CLOSED -> {
                        int produced = dst.position() - start;
                        return noteInputHeld(produced > 0 ? produced : -1);
                    }
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    /** Reads ciphertext from the inner transport, blocking until some is there; -1 at its end. */
    private int receive() throws IOException {
        ByteBuffer space = records.beginReceive();
        try {
            return inner.read(space);
        } finally {
            records.endReceive();
        }
    }

    /** Sends the answer to a post-handshake message, waiting for a writer to finish first. */
    private void answer() throws IOException {
        writeLock.lock();
        try {
            boolean open = records.wrapHandshakeMessages();
            flush();
            if (!open) {
                throw new SSLException("the TLS handshake was closed");
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** See {@link #inputHeld}. */
    final boolean holdsInput() {
        return inputHeld;
    }

    /** Records whether input is held after a read that returned {@code result}; returns it. */
    final int noteInputHeld(int result) {
        inputHeld = records.holdsInput() || (records.inputEnded() && result >= 0);
        return result;
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
            ensureOutputOpen();
            // What a non-blocking write left goes first.
            flush();
            while (remaining > 0) {
                remaining -= records.wrap(buffers, remaining);
                flush();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes all the output holds, blocking until the inner transport took it. */
    private void flush() throws IOException {
        ByteBuffer ciphertext = records.output();
        if (ciphertext.hasRemaining()) {
            inner.write(ciphertext);
        }
        outputSent();
    }

    /** @throws ClosedChannelException once {@link #shutdownOutput()} began */
    final void ensureOutputOpen() throws ClosedChannelException {
        if (output != Output.OPEN) {
            throw new ClosedChannelException();
        }
    }

    /**
     * Puts close_notify (RFC 8446 §6.1) into the output, once: false if it is there already. The
     * FIN follows when the output is sent ({@link #outputSent()}).
     */
    final boolean queueCloseNotify() throws SSLException {
        if (output != Output.OPEN) {
            return false;
        }
        output = Output.CLOSING;
        records.closeOutbound();
        return true;
    }

    /** The output is all sent: the FIN that a queued close_notify waits for goes now. */
    final void outputSent() throws IOException {
        if (output == Output.CLOSING) {
            output = Output.SHUT;
            inner.shutdownOutput();
        }
    }

    /** Stops reading: a blocked {@link #read} returns -1. */
    @Override
    public void shutdownInput() throws IOException {
        inner.shutdownInput();
    }

    /** Sends close_notify (RFC 8446 §6.1), then FIN, after what was written. */
    @Override
    public void shutdownOutput() throws IOException {
        writeLock.lock();
        try {
            if (queueCloseNotify()) {
                flush();
            }
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
