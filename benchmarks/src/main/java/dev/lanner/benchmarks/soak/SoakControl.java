package dev.lanner.benchmarks.soak;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run's switches and bounds, read by every client: whether the well-behaved and the hostile
 * clients may go on (stop flag and request caps), and whether the churn client is holding the
 * server at its connection limit right now (a hostile connection closed without an answer then is
 * the limit at work, not an anomaly).
 */
final class SoakControl {

    private final SoakCounters counters;
    private final long maxWellBehavedRequests;
    private final long maxHostileAttempts;
    private volatile boolean wellBehavedStopped;
    private volatile boolean hostileStarted;
    private volatile boolean hostileStopped;
    private final AtomicInteger saturating = new AtomicInteger();

    SoakControl(SoakCounters counters, long maxWellBehavedRequests, long maxHostileAttempts) {
        this.counters = counters;
        this.maxWellBehavedRequests = maxWellBehavedRequests;
        this.maxHostileAttempts = maxHostileAttempts;
    }

    SoakCounters counters() {
        return counters;
    }

    boolean wellBehavedRunning() {
        return !wellBehavedStopped && counters.wellBehavedTotal() < maxWellBehavedRequests;
    }

    boolean hostileRunning() {
        return hostileStarted && !hostileStopped && counters.hostileTotal() < maxHostileAttempts;
    }

    boolean hostileStopped() {
        return hostileStopped;
    }

    void startHostile() {
        hostileStarted = true;
    }

    void stopHostile() {
        hostileStopped = true;
    }

    void stopWellBehaved() {
        wellBehavedStopped = true;
    }

    /** True while a churn burst holds (or is about to hold) the server at its connection limit. */
    boolean saturating() {
        return saturating.get() > 0;
    }

    void saturationStarted() {
        saturating.incrementAndGet();
    }

    void saturationEnded() {
        saturating.decrementAndGet();
    }
}
