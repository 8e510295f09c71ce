package dev.lanner.http.server.core;

/**
 * The one rule for {@code HttpBodyControlFeature.allowSynchronousIO}: while it is false, every read of
 * the request body throws, whether or not the read would wait (Kestrel's rule; one that depended on
 * timing could not be tested). Stateless; called on the thread that reads the body.
 */
public final class SynchronousIO {

    private SynchronousIO() {
    }

    /**
     * Returns when {@code allowed}; otherwise throws.
     *
     * @throws IllegalStateException naming the setting that forbids the read
     */
    public static void checkAllowed(boolean allowed) {
        if (!allowed) {
            throw new IllegalStateException(
                    "Synchronous operations are disallowed (HttpBodyControlFeature.allowSynchronousIO is false)");
        }
    }
}
