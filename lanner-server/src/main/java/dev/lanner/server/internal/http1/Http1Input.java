package dev.lanner.server.internal.http1;

import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.LoopBufferLease;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The connection's input buffer: bytes {@code [start, end)} of {@link #array()} are received and not
 * yet consumed. It grows for a large head (up to the head limits), shrinks back when the connection
 * idles, and reads through the {@link DisconnectWatcher} when one has read ahead. Served inline on an
 * event loop, it reads into the loop's buffer ({@link LoopBufferLease}, slot {@link #LOOP_INPUT})
 * while it holds nothing of its own, and keeps only what is left. Used by whichever thread serves
 * the connection at the time (the event loop inline, else the connection's virtual thread); the
 * heartbeat touches it only under the watcher's lock, to start a read-ahead.
 */
final class Http1Input {

    static final int INITIAL_SIZE = 4 * 1024;
    /** The size of each buffer an event loop lends its HTTP/1.1 connections: request input, response output. */
    static final int LOOP_BUFFER_SIZE = 64 * 1024;
    /** The loop's request input buffer, heap for its {@code array()}. */
    private static final LoopBufferLease.Slot LOOP_INPUT = new LoopBufferLease.Slot("http1-request-input", false);
    private static final byte[] NO_BYTES = new byte[0];

    private final TransportConnection transport;
    private final int maxSize;
    /**
     * Set by the connection's thread before its first blocking request (a connection served only inline
     * never needs one); null before. Read by the heartbeat.
     */
    private volatile DisconnectWatcher watcher;
    /** Lends the loop's input buffer; null when no event loop drives the transport. */
    private final LoopBufferLease lease;
    /**
     * The view of no bytes at all: what the connection keeps after an inline call that left nothing.
     * Shared by every connection: with no capacity, its position and limit are always 0 whoever sets them.
     */
    private static final ByteBuffer NO_BYTES_VIEW = ByteBuffer.wrap(NO_BYTES);
    private byte[] array = NO_BYTES;
    private ByteBuffer view = NO_BYTES_VIEW;
    private int start;
    private int end;

    Http1Input(TransportConnection transport, int maxSize) {
        this.transport = transport;
        this.maxSize = maxSize;
        this.lease = transport instanceof EventLoopConnection loop ? new LoopBufferLease(loop, LOOP_INPUT) : null;
    }

    byte[] array() {
        return array;
    }

    int start() {
        return start;
    }

    int end() {
        return end;
    }

    int available() {
        return end - start;
    }

    boolean isEmpty() {
        return start == end;
    }

    /** Marks {@code n} bytes at the front consumed. */
    void consume(int n) {
        start += n;
    }

    /** Moves the front to {@code position} (the parser's answer). */
    void consumeTo(int position) {
        start = position;
    }

    /** The disconnect watcher, or null while the connection has never served a request on its thread. */
    DisconnectWatcher watcher() {
        return watcher;
    }

    void setWatcher(DisconnectWatcher watcher) {
        this.watcher = watcher;
    }

    /** Whether a disconnect watcher's read is outstanding (its bytes must be joined before the next read). */
    boolean isWatcherRunning() {
        DisconnectWatcher w = watcher;
        return w != null && w.isRunning();
    }

    /**
     * Reads more bytes after {@link #end()}, blocking; false at end of stream. Collects what a
     * disconnect watcher read instead when one ran. {@code idle}: the connection is between requests
     * (a grown array is given back first).
     */
    boolean fill(boolean idle) throws IOException {
        if (isWatcherRunning()) {
            int n = watcher.join();
            if (n < 0) {
                return false;
            }
            end += n;
            return true;
        }
        prepareRead(idle);
        view.limit(array.length).position(end);
        int n = transport.read(view);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    /** On the event loop: reads what is there without blocking; the count, 0, or -1 at end of stream. */
    int readNow(EventLoopConnection loop, boolean idle) throws IOException {
        prepareRead(idle);
        view.limit(array.length).position(end);
        int n = loop.readNow(view);
        if (n > 0) {
            end += n;
        }
        return n;
    }

    private void prepareRead(boolean idle) {
        if (start == end) {
            start = 0;
            end = 0;
            if (array.length == 0 || (array.length > INITIAL_SIZE && idle && !isLoopBuffer())) {
                // Give back what a large head grew: idle connections keep only the initial buffer.
                use(new byte[INITIAL_SIZE]);
            }
        } else if (end == array.length) {
            if (start > 0) {
                compact();
            } else {
                int size = Math.min(Math.max(array.length * 2, INITIAL_SIZE), Math.max(maxSize, array.length + INITIAL_SIZE));
                use(Arrays.copyOf(array, size));
            }
        }
    }

    /** Makes room for {@code needed} bytes from the front (a body collected on the loop). */
    void ensureRoomFor(int needed) {
        if (array.length - start >= needed) {
            return;
        }
        int buffered = end - start;
        byte[] target = array.length >= needed ? array : new byte[Math.max(needed, array.length * 2)];
        System.arraycopy(array, start, target, 0, buffered);
        if (target != array) {
            use(target);
        }
        start = 0;
        end = buffered;
    }

    /**
     * On the event loop, before an inline read: reads into the loop's buffer from now on, when
     * nothing is buffered (what the connection held, empty, is dropped). Ends with
     * {@link #takeBackLoopBuffer}.
     */
    void lendLoopBuffer() {
        if (start != end) {
            return;
        }
        ByteBuffer lent = lease.lend(NO_BYTES_VIEW, LOOP_BUFFER_SIZE);
        if (lent != NO_BYTES_VIEW) {
            array = lent.array();
            view = lent;
            start = 0;
            end = 0;
        }
    }

    /**
     * On the event loop, before it moves on or the virtual thread takes over: gives the loop's
     * buffer back, keeping what is left (with room for at least {@code reserve} bytes) in an array of
     * the connection's own, or nothing at all. Without a lent buffer, changes nothing.
     */
    void takeBackLoopBuffer(int reserve) {
        ByteBuffer kept = lease.takeBack(view.limit(end).position(start), Math.max(INITIAL_SIZE, reserve));
        if (kept != view) {
            array = kept.array();
            view = kept;
            start = 0;
            end = kept.remaining();
        }
    }

    /** Whether the array is the event loop's, lent for the current inline call. */
    private boolean isLoopBuffer() {
        return lease != null && lease.isLent(view);
    }

    /**
     * On the heartbeat, under the watcher's lock: the view positioned after {@link #end()} to read
     * ahead into without touching bytes still to be consumed, or null when there is no room.
     */
    ByteBuffer viewForReadAhead() {
        if (start == end) {
            start = 0;
            end = 0;
            if (array.length == 0) {
                // Served inline until now, the connection holds no input buffer of its own.
                use(new byte[INITIAL_SIZE]);
            }
        }
        if (end == array.length) {
            return null;
        }
        return view.limit(array.length).position(end);
    }

    private void compact() {
        System.arraycopy(array, start, array, 0, end - start);
        end -= start;
        start = 0;
    }

    private void use(byte[] bytes) {
        array = bytes;
        view = ByteBuffer.wrap(bytes);
    }
}
