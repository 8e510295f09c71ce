package dev.lanner.server.internal.infrastructure;

import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.diagnostics.ServerObserver;
import dev.lanner.server.internal.http1.DateHeaderValue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one server shares: options, the Date header refreshed by the
 * heartbeat, the upgraded-connection count and the stopping flag. One per server, never static,
 * so servers in one JVM stay independent. Shared by every thread of the server: the heartbeat ticks
 * the clock and refreshes the date, the thread stopping the server sets the flag, and those fields
 * are volatile, the counters atomic.
 */
public final class ServerContext {

    private final LannerServerOptions options;
    private final DateHeaderValue date = new DateHeaderValue(System.currentTimeMillis());
    private final AtomicLong upgradedConnections = new AtomicLong();
    private final String connectionIdPrefix;
    private final AtomicLong connectionIds = new AtomicLong();
    private volatile boolean stopping;
    /** Replaced only before the server starts (its threads start after, and see it). */
    private ServerTrace trace = new ServerTrace(ServerObserver.NONE);
    private volatile long nowNanos = System.nanoTime();

    /** A monotonic clock refreshed once a second by the heartbeat: cheap to read on the hot path. */
    public long nowNanos() {
        return nowNanos;
    }

    public void tick(long now) {
        nowNanos = now;
    }

    public ServerContext(LannerServerOptions options) {
        this.options = options;
        // A per-server random prefix keeps ids unique across restarts and servers in one log.
        this.connectionIdPrefix = Long.toString(System.nanoTime() & 0xFFFFFF, 36).toUpperCase();
    }

    /** Where the server reports connections, handshakes, streams and rejections. */
    public ServerTrace trace() {
        return trace;
    }

    /** Sets the observer; before the server starts only. */
    public void setObserver(ServerObserver observer) {
        trace = new ServerTrace(observer);
    }

    /** Replaces the trace (tests: another rejections logger); before the server starts only. */
    public void setTrace(ServerTrace value) {
        trace = value;
    }

    public LannerServerOptions options() {
        return options;
    }

    public DateHeaderValue date() {
        return date;
    }

    public AtomicLong upgradedConnections() {
        return upgradedConnections;
    }

    public boolean isStopping() {
        return stopping;
    }

    public void markStopping() {
        stopping = true;
    }

    /** A new connection id such as {@code 0HK3M:1F}. */
    public String nextConnectionId() {
        return connectionIdPrefix + ":" + Long.toString(connectionIds.incrementAndGet(), 36).toUpperCase();
    }
}
