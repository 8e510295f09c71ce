package dev.lanner.server.internal.http2.flow;

/**
 * A send window (RFC 9113 §6.9): how much DATA the peer allows. It may go negative when the
 * peer lowers SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2). The connection's writer
 * ({@code Http2ConnectionWriter}) uses every send window under its lock. It is not thread-safe
 * itself.
 */
public final class OutputFlowWindow {

    public static final long MAX = Integer.MAX_VALUE;

    private long window;

    public OutputFlowWindow(long initial) {
        this.window = initial;
    }

    public long available() {
        return window;
    }

    public void consume(int n) {
        window -= n;
    }

    /** Adds a WINDOW_UPDATE increment or a SETTINGS delta; false when the result exceeds 2^31-1. */
    public boolean adjust(long delta) {
        long next = window + delta;
        if (next > MAX) {
            return false;
        }
        window = next;
        return true;
    }
}
