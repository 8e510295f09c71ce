package dev.lanner.http.server.core;

import dev.lanner.http.features.ResponseCallback;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code onStarting} and {@code onCompleted} callbacks of one response, and the order they run in
 * (last registered first, as middleware registers them around each other). Used by every server; not
 * thread-safe: the request's own thread registers and fires them.
 */
public final class ResponseCallbacks {

    private List<ResponseCallback> onStarting;
    private List<ResponseCallback> onCompleted;

    /** Registers a callback to run just before the head is sent. */
    public void onStarting(ResponseCallback callback) {
        if (onStarting == null) {
            onStarting = new ArrayList<>(2);
        }
        onStarting.add(callback);
    }

    /** Registers a callback to run once the response is over (sent, failed or aborted). */
    public void onCompleted(ResponseCallback callback) {
        if (onCompleted == null) {
            onCompleted = new ArrayList<>(2);
        }
        onCompleted.add(callback);
    }

    /**
     * Runs the {@code onStarting} callbacks, last registered first, once; a failing callback stops the
     * rest and its failure is thrown (an unchecked one as it is, a checked one as an {@link IOException}).
     */
    public void fireOnStarting() throws IOException {
        List<ResponseCallback> callbacks = onStarting;
        onStarting = null;
        if (callbacks == null) {
            return;
        }
        for (int i = callbacks.size() - 1; i >= 0; i--) {
            try {
                callbacks.get(i).run();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    /**
     * Runs every {@code onCompleted} callback, last registered first, once; one failing does not stop
     * the others. Returns the first failure, or {@code null}.
     */
    public Exception fireOnCompleted() {
        List<ResponseCallback> callbacks = onCompleted;
        onCompleted = null;
        if (callbacks == null) {
            return null;
        }
        Exception first = null;
        for (int i = callbacks.size() - 1; i >= 0; i--) {
            try {
                callbacks.get(i).run();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        return first;
    }

    /** Forgets every callback (the next request on a reused object starts with none). */
    public void reset() {
        onStarting = null;
        onCompleted = null;
    }
}
