package dev.lanner.http.server.core;

import dev.lanner.http.features.MinDataRate;

/**
 * The clock of one transfer's data rate (Kestrel's {@code TimeoutControl} for body reads and response
 * writes): time counts only while the transfer waits on the peer ({@link #startWaiting} /
 * {@link #stopWaiting}), the heartbeat advances it ({@link #tick}), and the transfer is too slow when,
 * after the rate's grace period, fewer bytes than the rate allows have moved. The one place of that
 * arithmetic. The transfer's thread counts bytes and starts/stops waiting; the heartbeat ticks.
 */
public final class DataRateMeter {

    private volatile boolean waiting;
    private volatile long bytes;
    private long waitedNanos;

    /** The transfer now waits on the peer: heartbeat ticks count from here. */
    public void startWaiting() {
        waiting = true;
    }

    /** The transfer no longer waits. */
    public void stopWaiting() {
        waiting = false;
    }

    /** Whether the transfer waits on the peer now. */
    public boolean isWaiting() {
        return waiting;
    }

    /** Counts bytes moved. */
    public void addBytes(long n) {
        bytes += n;
    }

    /** Bytes moved so far. */
    public long bytes() {
        return bytes;
    }

    /** Time spent waiting so far, in nanoseconds. */
    public long waitedNanos() {
        return waitedNanos;
    }

    /**
     * Advances the clock by {@code deltaNanos} when the transfer waits; returns true when it is then
     * below {@code rate} (null: no minimum).
     */
    public boolean tick(long deltaNanos, MinDataRate rate) {
        if (!waiting) {
            return false;
        }
        waitedNanos += deltaNanos;
        return rate != null && isBelow(rate, bytes, waitedNanos);
    }

    /** Forgets bytes and time (the next request's transfer starts fresh). */
    public void reset() {
        // Volatile stores cost a fence each: a per-request reset stores only what changed.
        if (waiting) {
            waiting = false;
        }
        if (bytes != 0) {
            bytes = 0;
        }
        waitedNanos = 0;
    }

    /** After the grace period, fewer than {@code bytesPerSecond × seconds} bytes is too slow. */
    public static boolean isBelow(MinDataRate rate, long bytes, long elapsedNanos) {
        if (elapsedNanos <= rate.gracePeriod().toNanos()) {
            return false;
        }
        return bytes < rate.bytesPerSecond() * (elapsedNanos / 1e9);
    }
}
