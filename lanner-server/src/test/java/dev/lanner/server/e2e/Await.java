package dev.lanner.server.e2e;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a condition the test can observe (connections closed, a listener gone, a slot free
 * again) instead of sleeping a fixed time: returns as soon as it holds, fails once {@code timeout}
 * has passed without it. The timeout is a safety net, never the behaviour under test.
 */
public final class Await {

    /** A condition that may throw while it is checked. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /** Waits until {@code condition} holds; fails naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting after " + timeout + ": " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
