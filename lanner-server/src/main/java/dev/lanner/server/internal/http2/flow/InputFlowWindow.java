package dev.lanner.server.internal.http2.flow;

/**
 * A receive window (RFC 9113 §6.9): what the peer may still send. Data received shrinks it;
 * data the application consumed is given back in WINDOW_UPDATE increments once at least half of
 * the initial window is owed, which keeps updates few without starving the sender. Thread-safe
 * (its own monitor): the connection's reader thread charges a window while the thread that reads
 * a stream's body (the stream's application thread) credits it.
 */
public final class InputFlowWindow {

    private final int initial;
    private long available;
    private int owed;

    public InputFlowWindow(int initial) {
        this.initial = initial;
        this.available = initial;
    }

    /** Counts {@code n} received octets; false when they exceed the window (FLOW_CONTROL_ERROR). */
    public synchronized boolean receive(int n) {
        if (n > available) {
            return false;
        }
        available -= n;
        return true;
    }

    /**
     * Records {@code n} octets consumed (or discarded); returns the WINDOW_UPDATE increment to
     * send now, or 0 to wait for more.
     */
    public synchronized int consume(int n) {
        owed += n;
        if (owed >= initial / 2) {
            int increment = owed;
            owed = 0;
            available += increment;
            return increment;
        }
        return 0;
    }

    public synchronized long available() {
        return available;
    }
}
