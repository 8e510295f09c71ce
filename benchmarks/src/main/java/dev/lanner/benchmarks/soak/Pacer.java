package dev.lanner.benchmarks.soak;

/**
 * Paces one client at a fixed rate of exchanges per second. A client that falls behind (its
 * exchange took longer than the interval) goes on at once but does not catch up later, so a slow
 * server shows as lost throughput rather than as a burst afterwards. A rate of 0 means no pacing
 * (a closed loop).
 */
final class Pacer {

    private final long intervalNanos;
    private long next = System.nanoTime();

    Pacer(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
    }

    void await() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait <= 0) {
            next = System.nanoTime();
            return;
        }
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
}
