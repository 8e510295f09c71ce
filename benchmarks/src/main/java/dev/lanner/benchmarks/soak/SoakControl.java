package dev.lanner.benchmarks.soak;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The run's switches and bounds, read by every client: whether the well-behaved and the hostile
 * clients may go on (stop flag and request caps), and whether the server is at its connection limit
 * right now (a hostile connection closed without an answer then is the limit at work, not an anomaly).
 */
final class SoakControl {

    private final SoakCounters counters;
    private final long maxWellBehavedRequests;
    private final long maxHostileAttempts;
    private volatile boolean wellBehavedStopped;
    private volatile boolean hostileStarted;
    private volatile boolean hostileStopped;
    private final AtomicInteger saturating = new AtomicInteger();
    private final ServerConnections serverConnections;
    private final int maxConnections;

    SoakControl(SoakCounters counters, long maxWellBehavedRequests, long maxHostileAttempts,
            ServerConnections serverConnections, int maxConnections) {
        this.counters = counters;
        this.serverConnections = serverConnections;
        this.maxConnections = maxConnections;
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

    /**
     * True if a connection closed without an answer just now can be the connection limit at work: a
     * churn burst holds the server at its limit, or the server holds within 8 of MaxConcurrentConnections
     * connections (slowloris connections alone can fill it when scaled up).
     */
    boolean atConnectionLimit() {
        return saturating.get() > 0 || serverConnections.count() >= maxConnections - 8;
    }

    void saturationStarted() {
        saturating.incrementAndGet();
    }

    void saturationEnded() {
        saturating.decrementAndGet();
    }
}
