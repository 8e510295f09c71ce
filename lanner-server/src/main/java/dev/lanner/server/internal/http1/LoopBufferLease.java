package dev.lanner.server.internal.http1;

import dev.lanner.server.transport.EventLoopConnection;
import java.nio.ByteBuffer;

/**
 * The buffers a connection borrows from its event loop while served inline: one input array and one
 * output writer per loop, shared by all of its connections (cache-hot, nothing held while a
 * connection idles). Borrowed only when the connection has nothing of its own buffered; given back
 * before the loop moves on or a virtual thread takes the connection over, keeping what is left in
 * buffers of the connection's own. The one place of this borrowing, so that a shared lease from the
 * transport can replace it. Event loop thread only.
 */
final class LoopBufferLease {

    private static final int SIZE = 64 * 1024;

    private final EventLoopConnection loop;
    private final Http1Input input;
    private final Http1OutputProducer output;
    private Shared shared;

    LoopBufferLease(EventLoopConnection loop, Http1Input input, Http1OutputProducer output) {
        this.loop = loop;
        this.input = input;
        this.output = output;
    }

    /** The buffers of one loop. */
    private static final class Shared {
        final byte[] in = new byte[SIZE];
        final ByteBuffer inView = ByteBuffer.wrap(in);
        final ResponseHeaderWriter out = new ResponseHeaderWriter(SIZE);
    }

    /** Reads into and writes from the loop's buffers, where nothing of the connection's own is pending. */
    void borrow() {
        if (shared == null) {
            shared = loop.loopLocal(Shared.class, Shared::new);
        }
        if (input.isEmpty() && input.array() != shared.in) {
            input.borrow(shared.in, shared.inView);
        }
        if (output.buffered() == 0 && output.writer() != shared.out) {
            shared.out.reset();
            output.useWriter(shared.out);
        }
    }

    /**
     * Keeps only what is left, in the connection's own buffers; {@code reserve}: room the input must
     * have for a body still arriving.
     */
    void giveBack(int reserve) {
        if (shared == null) {
            return;
        }
        if (input.isBorrowed()) {
            input.giveBack(reserve);
        }
        if (output.writer() == shared.out) {
            ResponseHeaderWriter own = output.ownWriter();
            if (shared.out.length() > 0) {
                own.reset();
                own.append(shared.out.array(), 0, shared.out.length());
                shared.out.reset();
            } else {
                output.shrinkOwnWriter();
            }
            output.useWriter(output.ownWriter());
        }
        if (input.isEmpty()) {
            output.releasePending();
        }
    }
}
