package dev.lanner.server;

import dev.lanner.server.transport.EventLoopConnection;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/**
 * Offered to an HTTP/1.1 request the default server runs inline on an event loop (a non-blocking
 * application, the body already received): the loop itself, so that an application that suspended
 * the request ({@code HttpRequestSuspensionFeature}) can do its own non-blocking I/O on the same
 * thread and complete the request there, with no thread hand-off. The module's forwarding to its
 * backends is the user: request, upstream socket and response all stay on one loop, as in nginx.
 * Everything here is for the loop thread (callbacks arrive there) unless said otherwise.
 */
public interface EventLoopRequestFeature {

    /** Runs {@code task} on the loop (at once when called on it); any thread. */
    void execute(Runnable task);

    /**
     * Puts a connected channel of the application's on this loop, non-blocking; set its listener,
     * then arm what it waits for. Close it with {@link EventLoopConnection#close()}.
     */
    EventLoopConnection adopt(SocketChannel channel) throws IOException;

    /** A value per loop and type, created on first use: per-loop pools. */
    <T> T loopLocal(Class<T> type, Supplier<T> factory);

    /** Whether response bytes wait for the client to read them (stop producing until they drain). */
    boolean isOutputBacklogged();

    /** Runs {@code callback} on the loop once waiting response bytes went out (at once when none wait). */
    void whenOutputDrained(Runnable callback);
}
