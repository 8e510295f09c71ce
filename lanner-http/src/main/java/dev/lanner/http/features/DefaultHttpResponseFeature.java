package dev.lanner.http.features;

import dev.lanner.http.HttpHeaders;
import java.io.IOException;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.StatusCodes;

/**
 * A plain-field {@link HttpResponseFeature} that keeps the callbacks; the server calls
 * {@link #fireOnStarting()} just before sending the head and {@link #fireOnCompleted()} at the end.
 */
public class DefaultHttpResponseFeature implements HttpResponseFeature {

    private int statusCode = 200;
    private String reasonPhrase;
    private HttpHeaders headers = new HttpHeaders();
    private boolean started;
    private final ResponseCallbacks callbacks = new ResponseCallbacks();

    @Override public int statusCode() { return statusCode; }
    @Override public void setStatusCode(int statusCode) { this.statusCode = StatusCodes.check(statusCode); }
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
        callbacks.onStarting(callback);
    }

    @Override
    public void onCompleted(ResponseCallback callback) {
        callbacks.onCompleted(callback);
    }

    /** The registered callbacks (for {@link dev.lanner.http.server.core.RequestLifecycle}). */
    public ResponseCallbacks callbacks() {
        return callbacks;
    }

    /**
     * Runs the {@code onStarting} callbacks (last registered first, as they wrap each other), marks
     * the response started and freezes its headers. Does nothing the second time.
     */
    public void fireOnStarting() throws IOException {
        if (started) {
            return;
        }
        callbacks.fireOnStarting();
        started = true;
        headers.makeReadOnly();
    }

    /** Marks the response started without running callbacks (the server failed before sending). */
    public void markStarted() {
        started = true;
    }

    /** Runs every {@code onCompleted} callback, last first; returns the first failure, or {@code null}. */
    public Exception fireOnCompleted() {
        return callbacks.fireOnCompleted();
    }

    /** Resets to a fresh response (the server reuses the object for the next request of a connection). */
    public void reset() {
        statusCode = 200;
        reasonPhrase = null;
        headers = new HttpHeaders();
        started = false;
        callbacks.reset();
    }
}
