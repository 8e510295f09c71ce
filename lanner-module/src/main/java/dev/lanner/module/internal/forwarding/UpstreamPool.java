package dev.lanner.module.internal.forwarding;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keep-alive connections to one backend process. Last in, first out: the connection used most
 * recently is the warmest and the least likely to have been closed by the backend's idle timeout;
 * a connection idle longer than {@link #MAX_IDLE_NANOS} is closed instead of reused.
 */
public final class UpstreamPool implements AutoCloseable {

    /** Well under the default server's keep-alive timeout (130 s), so the backend never closes one first. */
    static final long MAX_IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    static final int MAX_IDLE = 512;
    static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress address;
    private final ConcurrentLinkedDeque<Idle> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();
    private volatile boolean closed;

    private record Idle(UpstreamConnection connection, long since) {
    }

    public UpstreamPool(InetSocketAddress address) {
        this.address = address;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** A pooled connection, or a new one. */
    UpstreamConnection acquire() throws IOException {
        long now = System.nanoTime();
        Idle entry;
        while ((entry = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            if (now - entry.since() < MAX_IDLE_NANOS && !entry.connection().isBroken()) {
                return entry.connection();
            }
            entry.connection().close();
        }
        return UpstreamConnection.open(address, CONNECT_TIMEOUT_MILLIS);
    }

    /** A new connection, never a pooled one (a retry after a pooled one turned out closed). */
    UpstreamConnection connect() throws IOException {
        return UpstreamConnection.open(address, CONNECT_TIMEOUT_MILLIS);
    }

    /** Returns a connection whose last response completed cleanly; closes it when it cannot be reused. */
    void release(UpstreamConnection connection) {
        if (closed || connection.isBroken() || connection.hasUnreadBytes() || idleCount.get() >= MAX_IDLE) {
            connection.close();
            return;
        }
        idleCount.incrementAndGet();
        idle.offerFirst(new Idle(connection, System.nanoTime()));
        if (closed) {
            closeIdle();
        }
    }

    /** Closes the idle connections; connections in use are closed when released. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        Idle entry;
        while ((entry = idle.pollFirst()) != null) {
            idleCount.decrementAndGet();
            entry.connection().close();
        }
    }
}
