package dev.lanner.module.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts a hosted application's requests in flight and closes to new ones when it is retired. A
 * request is counted before the retired flag is read, and {@link #retire()} sets the flag before the
 * recycler reads the count: a request either sees the flag (and is routed again) or is waited for.
 */
public final class RequestGate {

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean retired;

    /** Counts a request in; false (and not counted) when the application was retired. */
    public boolean enter() {
        inFlight.incrementAndGet();
        if (retired) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /** A counted request is done. */
    public void exit() {
        inFlight.decrementAndGet();
    }

    public void retire() {
        retired = true;
    }

    public int inFlight() {
        return inFlight.get();
    }
}
