package dev.lanner.server.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * A connection's byte stream, in the blocking style virtual threads make cheap: {@link #read}
 * blocks until bytes arrive, {@link #write} until all bytes are handed to the OS.
 */
public interface TransportConnection extends AutoCloseable {

    /** Reads into {@code buffer}; returns the count, or -1 at end of stream. */
    int read(ByteBuffer buffer) throws IOException;

    /** Writes every remaining byte of the buffers, in order. */
    void write(ByteBuffer... buffers) throws IOException;

    /** Stops reading: a blocked {@link #read} returns -1 (timeouts use this to wake the reader). */
    void shutdownInput() throws IOException;

    /** Sends FIN after what was written. */
    void shutdownOutput() throws IOException;

    SocketAddress localAddress();

    SocketAddress remoteAddress();

    boolean isOpen();

    @Override
    void close() throws IOException;
}
