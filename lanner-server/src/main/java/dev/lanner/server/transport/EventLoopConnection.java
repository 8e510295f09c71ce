package dev.lanner.server.transport;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A connection owned by an event loop. Besides the blocking {@link TransportConnection} calls
 * (which park the calling virtual thread until the loop reports readiness), it offers
 * non-blocking reads and writes and one-shot readiness callbacks, so that a protocol can serve
 * requests inline on the loop thread and fall back to a virtual thread only when it must block.
 */
public interface EventLoopConnection extends TransportConnection {

    /** Reads what is available without blocking: the count, 0 if nothing, -1 at end of stream. */
    int readNow(ByteBuffer buffer) throws IOException;

    /** Writes what the socket takes without blocking; returns the count (0 when its buffer is full). */
    int writeNow(ByteBuffer buffer) throws IOException;

    /** Sets who hears readiness while no thread waits in a blocking call. */
    void setListener(ReadinessListener listener);

    /**
     * Arms read interest: {@link ReadinessListener#onReadable()} follows whenever data (or EOF) is
     * there, until {@link #disarmRead()}. Arming what is armed costs nothing.
     */
    void armRead();

    /** Stops read readiness callbacks until {@link #armRead()} (backpressure, or a thread takes over). */
    void disarmRead();

    /** Arms a one-shot write interest. */
    void armWrite();

    /**
     * A value shared by every connection of this connection's loop, created on first use; only
     * for use on the loop thread (buffers that a protocol borrows while it serves inline).
     */
    <T> T loopLocal(Class<T> type, java.util.function.Supplier<T> factory);

    /** Whether the caller is this connection's event loop thread. */
    boolean inEventLoop();

    /** Runs {@code task} on this connection's loop thread (at once when called there); any thread. */
    default void execute(Runnable task) {
        throw new UnsupportedOperationException("this connection has no loop to run tasks on");
    }

    /**
     * Another channel on this connection's loop (an application's own socket, e.g. a proxy's
     * upstream connection): made non-blocking; its readiness goes to the listener it is given.
     */
    default EventLoopConnection adopt(java.nio.channels.SocketChannel channel) throws IOException {
        throw new UnsupportedOperationException("this connection has no loop to adopt channels on");
    }
}
