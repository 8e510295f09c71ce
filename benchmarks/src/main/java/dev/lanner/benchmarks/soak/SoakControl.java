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
    private volatile long lastNearLimit = System.nanoTime() - 60_000_000_000L;

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
     * churn burst holds the server at its limit, or within the last 1.5 s the server held at least
     * MaxConcurrentConnections − 8 connections (slowloris connections alone can fill it when scaled up,
     * and a burst's connections take a moment to leave the server's count after the client closes them).
     */
    boolean atConnectionLimit() {
        return saturating.get() > 0 || System.nanoTime() - lastNearLimit < 1_500_000_000L;
    }

    /** Watches the server's connection count every 50 ms on a daemon thread, for {@link #atConnectionLimit()}. */
    void watchConnectionCount() {
        Thread.ofPlatform().daemon().name("soak-connection-count").start(() -> {
            while (true) {
                if (serverConnections.count() >= maxConnections - 8) {
                    lastNearLimit = System.nanoTime();
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    void saturationStarted() {
        saturating.incrementAndGet();
    }

    void saturationEnded() {
        saturating.decrementAndGet();
    }
}
