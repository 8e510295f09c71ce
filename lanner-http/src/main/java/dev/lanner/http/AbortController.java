package dev.lanner.http;

import java.util.ArrayList;
import java.util.List;

/** The owner's side of an {@link AbortSignal}: servers fire it when a client goes away or a request times out. */
public final class AbortController implements AbortSignal {

    private volatile boolean aborted;
    private List<Runnable> callbacks;

    public AbortSignal signal() {
        return this;
    }

    @Override
    public boolean isAborted() {
        return aborted;
    }

    @Override
    public AutoCloseable onAbort(Runnable callback) {
        synchronized (this) {
            if (!aborted) {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                }
                callbacks.add(callback);
                return () -> {
                    synchronized (this) {
                        if (callbacks != null) {
                            callbacks.remove(callback);
                        }
                    }
                };
            }
        }
        callback.run();
        return () -> { };
    }

    /** Fires the signal; returns false when it had already fired. Callback failures do not stop the others. */
    public boolean abort() {
        List<Runnable> toRun;
        synchronized (this) {
            if (aborted) {
                return false;
            }
            aborted = true;
            toRun = callbacks;
            callbacks = null;
        }
        if (toRun != null) {
            for (Runnable r : toRun) {
                try {
                    r.run();
                } catch (RuntimeException ignored) {
                    // One failing listener must not keep the others from learning about the abort.
                }
            }
        }
        return true;
    }
}
