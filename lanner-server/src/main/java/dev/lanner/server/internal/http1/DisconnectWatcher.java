package dev.lanner.server.internal.http1;

import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * Notices a client that disconnects while a blocking application runs with the request body fully
 * received (Kestrel reads ahead for the same reason): a virtual thread of its own, started by the
 * heartbeat, blocks in one read. End of stream or a failure aborts the request; bytes that arrive
 * are the next pipelined request's and are kept, and the connection's thread collects them with
 * {@link #join()} before it reads again. The heartbeat starts it, the connection's virtual thread
 * joins it; the lock orders the two against the end of the request.
 */
final class DisconnectWatcher {

    private final Object lock = new Object();
    private final TransportConnection transport;
    private final String connectionId;
    private final Consumer<String> onDisconnect;
    private Thread thread;
    private int result;
    private IOException error;
    private volatile boolean requestDone;

    DisconnectWatcher(TransportConnection transport, String connectionId, Consumer<String> onDisconnect) {
        this.transport = transport;
        this.connectionId = connectionId;
        this.onDisconnect = onDisconnect;
    }

    /** A new request runs: the watcher may be started for it. */
    void requestStarted() {
        if (requestDone) {
            requestDone = false;
        }
    }

    /** The application is done with the request: no watcher starts for it any more. */
    void requestDone() {
        synchronized (lock) {
            requestDone = true;
        }
    }

    /** Whether a watcher read is outstanding (its bytes must be joined before the next read). */
    boolean isRunning() {
        synchronized (lock) {
            return thread != null;
        }
    }

    /**
     * On the heartbeat: starts the read-ahead into {@code input} unless one runs or the request is
     * done; {@code stillRunning} is checked under the lock, with the input's room made there too.
     */
    void startIfIdle(Http1Input input, java.util.function.BooleanSupplier stillRunning) {
        synchronized (lock) {
            if (thread != null || requestDone || !stillRunning.getAsBoolean()) {
                return;
            }
            ByteBuffer target = input.viewForReadAhead();
            if (target == null) {
                return;
            }
            result = 0;
            error = null;
            thread = Thread.ofVirtual().name("lanner-watch-" + connectionId).start(() -> readAhead(target));
        }
    }

    private void readAhead(ByteBuffer target) {
        try {
            int n = transport.read(target);
            result = n;
            if (n < 0) {
                onDisconnect.accept("client disconnected");
            }
        } catch (IOException e) {
            error = e;
            onDisconnect.accept("client connection failed: " + e.getMessage());
        }
    }

    /**
     * On the connection's thread: waits for the outstanding read and returns what it read (-1 at end
     * of stream), or throws what it failed with.
     */
    int join() throws IOException {
        Thread t;
        synchronized (lock) {
            t = thread;
        }
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        synchronized (lock) {
            thread = null;
        }
        if (error != null) {
            IOException e = error;
            error = null;
            throw e;
        }
        return result;
    }
}
