package dev.lanner.server.internal.infrastructure;

/**
 * A connection the {@link Heartbeat} checks once a second for timeouts and data rates.
 * {@link #onHeartbeat} runs on the heartbeat thread, {@link #closeIfIdle} and {@link #abort} on the
 * thread stopping the server, each concurrently with the connection's own threads.
 */
public interface TimedConnection {

    /** Checks deadlines and rates against {@code nowNanos}; acts on a violation itself. */
    void onHeartbeat(long nowNanos);

    /** Closes the connection now if it is idle between requests (graceful stop); returns whether it did. */
    boolean closeIfIdle();

    /** Aborts whatever is in flight and closes (end of the grace period). */
    void abort(String reason);
}
