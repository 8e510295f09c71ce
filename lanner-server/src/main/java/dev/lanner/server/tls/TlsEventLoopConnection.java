package dev.lanner.server.tls;

import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.ReadinessListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * TLS over an event-loop connection, so that a protocol serves HTTPS inline on the loop as it
 * serves plaintext ({@code Http1Connection}): {@link #readNow} and {@link #writeNow} decrypt and
 * encrypt on the loop thread with the record logic of {@link TlsTransportConnection}, whose
 * blocking calls remain for the connection's virtual thread.
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

    private final EventLoopConnection inner;
    private final ScheduledExecutorService timer;
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
        this.inner = inner;
        this.timer = timer;
    }

    @Override
    public int readNow(ByteBuffer buffer) throws IOException {
        int n = readNonBlocking(buffer);
        if (n != 0) {
            deliveries++;
        }
        return n;
    }

    @Override
    public int writeNow(ByteBuffer buffer) throws IOException {
        return writeNonBlocking(buffer);
    }

    @Override
    public void setListener(ReadinessListener listener) {
        this.listener = listener;
        inner.setListener(listener == null ? null : readiness);
    }

    @Override
    public void armRead() {
        readArmed = true;
        inner.armRead();
        if (holdsInput() && !(inner.inEventLoop() && inCallback)) {
            inner.armWrite();
        }
    }

    @Override
    public void disarmRead() {
        readArmed = false;
        inner.disarmRead();
    }

    @Override
    public void armWrite() {
        writeArmed = true;
        inner.armWrite();
    }

    @Override
    public <T> T loopLocal(Class<T> type, Supplier<T> factory) {
        return inner.loopLocal(type, factory);
    }

    @Override
    public boolean inEventLoop() {
        return inner.inEventLoop();
    }

    @Override
    public boolean isOpen() {
        return !closed && inner.isOpen();
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
            flushed = flushNonBlocking();
        } catch (IOException e) {
            flushed = true;
        }
        if (flushed) {
            inner.close();
            return;
        }
        // The inner write interest is armed: onWritable writes the rest, then closes.
        inner.disarmRead();
        closeDeadline = timer.schedule(this::closeInner, CLOSE_FLUSH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!inner.isOpen()) {
            closeDeadline.cancel(false);
        }
    }

    private void closeInner() {
        try {
            inner.close();
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
                inner.armWrite();
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
                flushed = flushNonBlocking();
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
