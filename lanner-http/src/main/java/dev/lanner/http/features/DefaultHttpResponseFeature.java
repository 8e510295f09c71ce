package dev.lanner.http.features;

import dev.lanner.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain-field {@link HttpResponseFeature} that keeps the callbacks; the server calls
 * {@link #fireOnStarting()} just before sending the head and {@link #fireOnCompleted()} at the end.
 */
public class DefaultHttpResponseFeature implements HttpResponseFeature {

    private int statusCode = 200;
    private String reasonPhrase;
    private HttpHeaders headers = new HttpHeaders();
    private boolean started;
    private List<ResponseCallback> onStarting;
    private List<ResponseCallback> onCompleted;

    @Override public int statusCode() { return statusCode; }
    @Override public void setStatusCode(int statusCode) { this.statusCode = statusCode; }
    @Override public String reasonPhrase() { return reasonPhrase; }
    @Override public void setReasonPhrase(String reasonPhrase) { this.reasonPhrase = reasonPhrase; }
    @Override public HttpHeaders headers() { return headers; }
    @Override public void setHeaders(HttpHeaders headers) { this.headers = headers; }
    @Override public boolean hasStarted() { return started; }

    @Override
    public void onStarting(ResponseCallback callback) {
        if (started) {
            throw new IllegalStateException("the response has already started");
        }
        if (onStarting == null) {
            onStarting = new ArrayList<>(2);
        }
        onStarting.add(callback);
    }

    @Override
    public void onCompleted(ResponseCallback callback) {
        if (onCompleted == null) {
            onCompleted = new ArrayList<>(2);
        }
        onCompleted.add(callback);
    }

    /**
     * Runs the {@code onStarting} callbacks (last registered first, as they wrap each other) and
     * marks the response started. Does nothing the second time.
     */
    public void fireOnStarting() throws Exception {
        if (started) {
            return;
        }
        List<ResponseCallback> callbacks = onStarting;
        onStarting = null;
        if (callbacks != null) {
            for (int i = callbacks.size() - 1; i >= 0; i--) {
                callbacks.get(i).run();
            }
        }
        started = true;
    }

    /** Marks the response started without running callbacks (the server failed before sending). */
    public void markStarted() {
        started = true;
    }

    /** Runs every {@code onCompleted} callback, last first; returns the first failure, or {@code null}. */
    public Exception fireOnCompleted() {
        List<ResponseCallback> callbacks = onCompleted;
        onCompleted = null;
        Exception first = null;
        if (callbacks != null) {
            for (int i = callbacks.size() - 1; i >= 0; i--) {
                try {
                    callbacks.get(i).run();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        return first;
    }

    /** Resets to a fresh response (the server reuses the object for the next request of a connection). */
    public void reset() {
        statusCode = 200;
        reasonPhrase = null;
        headers = new HttpHeaders();
        started = false;
        onStarting = null;
        onCompleted = null;
    }
}
