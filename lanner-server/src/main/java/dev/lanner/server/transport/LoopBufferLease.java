package dev.lanner.server.transport;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Lends one connection a buffer that every connection of its event loop shares, for the length of
 * one non-blocking call, and afterwards keeps what the call left (bytes received but not consumed,
 * bytes not yet written) in the connection's own buffer. An idle connection so holds no buffer,
 * and the loop's buffers stay in cache (Netty's pooled thread-local buffers, in their simplest
 * form; docs/decisions/002-tls-engine.md has the measurement).
 *
 * <p>Thread: the event loop's; a lease asked for on any other thread lends nothing. One lease per
 * connection and kind of buffer ({@link Slot}).
 *
 * <p>Buffers are kept flipped: position..limit is what the connection still holds. One call goes:
 * <pre>{@code
 * ByteBuffer buffer = lease.lend(own, capacity);   // the loop's buffer (empty), or own
 * ... read into or write from buffer; a buffer that must grow is replaced by a new one ...
 * own = lease.takeBack(buffer, leftoverCapacity);  // what is left, in the connection's own buffer
 * }</pre>
 */
public final class LoopBufferLease {

    /**
     * One kind of loop buffer; each instance is one buffer per loop, so declare it as a constant.
     * Direct buffers save the socket a copy; heap buffers offer their {@code array()}.
     */
    public static final class Slot {
        private final String name;
        private final boolean direct;

        public Slot(String name, boolean direct) {
            this.name = name;
            this.direct = direct;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A loop's buffer of one slot, created by the first lease that asks, at the size it asks. */
    private static final class SharedBuffer {
        ByteBuffer buffer;
        /** Lent to a call not yet ended: a nested call for the same slot gets its own buffer. */
        boolean lent;
    }

    /** Every shared buffer of one loop, by slot. */
    private static final class Shelf {
        final Map<Slot, SharedBuffer> buffers = new IdentityHashMap<>();
    }

    private final EventLoopConnection connection;
    private final Slot slot;
    /** This loop's buffer of the slot, looked up on the first lend. */
    private SharedBuffer shared;
    /** The connection's own buffer while the loop's is lent; null when nothing is lent. */
    private ByteBuffer own;

    public LoopBufferLease(EventLoopConnection connection, Slot slot) {
        this.connection = connection;
        this.slot = slot;
    }

    /**
     * The loop's buffer, empty, when the caller is the loop thread, {@code own} holds nothing, and
     * the loop's buffer is free and has at least {@code capacity} bytes (it is created with that
     * many by the first lease that asks); otherwise {@code own}. Every lend ends with
     * {@link #takeBack}.
     */
    public ByteBuffer lend(ByteBuffer own, int capacity) {
        if (own.hasRemaining() || !connection.inEventLoop()) {
            return own;
        }
        SharedBuffer loop = shared;
        if (loop == null) {
            loop = connection.loopLocal(Shelf.class, Shelf::new).buffers.computeIfAbsent(slot, s -> new SharedBuffer());
            shared = loop;
        }
        if (loop.buffer == null) {
            loop.buffer = slot.direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        }
        if (loop.lent || loop.buffer.capacity() < capacity) {
            return own;
        }
        loop.lent = true;
        this.own = own;
        return loop.buffer.clear().flip();
    }

    /**
     * Ends a lend: returns the buffer the connection keeps. When {@code used} is the loop's
     * buffer, what it still holds moves to the connection's own buffer (a new heap buffer of at
     * least {@code leftoverCapacity} bytes if it does not fit); when nothing was lent, or the call
     * replaced the loop's buffer by a larger one (the connection's already), that is {@code used}.
     */
    public ByteBuffer takeBack(ByteBuffer used, int leftoverCapacity) {
        ByteBuffer kept = own;
        if (kept == null) {
            return used;
        }
        own = null;
        shared.lent = false;
        if (used != shared.buffer) {
            return used;
        }
        if (!used.hasRemaining()) {
            return kept;
        }
        ByteBuffer target = kept.capacity() >= used.remaining() ? kept.clear()
                : ByteBuffer.allocate(Math.max(used.remaining(), leftoverCapacity));
        return target.put(used).flip();
    }

    /** Whether {@code buffer} is the loop's, lent by this lease and not yet taken back. */
    public boolean isLent(ByteBuffer buffer) {
        return own != null && buffer == shared.buffer;
    }
}
