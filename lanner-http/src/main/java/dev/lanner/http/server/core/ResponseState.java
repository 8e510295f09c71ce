package dev.lanner.http.server.core;

import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.ResponseCallback;

/**
 * The response head an application builds (status, reason, headers, callbacks) and the rules that
 * hold once it has started: nothing about the head changes after {@link #markStarted()}. Every
 * server's {@link HttpResponseFeature}; reused across the requests of a connection with
 * {@link #reset()}, which costs no allocation when the previous response was not sent. Used by the
 * request's thread; {@link #hasStarted()} is a plain read, as the protocols read it on that thread.
 */
public final class ResponseState implements HttpResponseFeature {

    private final ResponseCallbacks callbacks = new ResponseCallbacks();
    private int statusCode = 200;
    private String reasonPhrase;
    private HttpHeaders headers;
    private boolean started;

    public ResponseState(int expectedHeaders) {
        this.headers = new HttpHeaders(expectedHeaders);
    }

    @Override public int statusCode() { return statusCode; }
    @Override public String reasonPhrase() { return reasonPhrase; }
    @Override public HttpHeaders headers() { return headers; }
    @Override public boolean hasStarted() { return started; }

    @Override
    public void setStatusCode(int status) {
        checkNotStarted();
        statusCode = StatusCodes.check(status);
    }

    @Override
    public void setReasonPhrase(String reason) {
        checkNotStarted();
        reasonPhrase = reason;
    }

    @Override
    public void setHeaders(HttpHeaders headers) {
        checkNotStarted();
        this.headers = headers;
    }

    @Override
    public void onStarting(ResponseCallback callback) {
        checkNotStarted();
        callbacks.onStarting(callback);
    }

    @Override
    public void onCompleted(ResponseCallback callback) {
        callbacks.onCompleted(callback);
    }

    /** The callbacks: the protocol fires {@code onStarting} when it commits the head, the lifecycle {@code onCompleted}. */
    public ResponseCallbacks callbacks() {
        return callbacks;
    }

    /** The head is going out: the headers freeze, and setters refuse from now on. */
    public void markStarted() {
        started = true;
        headers.makeReadOnly();
    }

    /**
     * Before the head went out: drop what the application set and answer {@code status} with no
     * fields (an error response).
     */
    public void resetForError(int status) {
        headers.clear();
        statusCode = status;
        reasonPhrase = null;
    }

    /** A fresh 200 for the next request: headers cleared (a sent, frozen collection is recycled), no callbacks. */
    public void reset() {
        statusCode = 200;
        reasonPhrase = null;
        if (headers.isReadOnly() || !headers.isEmpty()) {
            headers.recycle();
        }
        started = false;
        callbacks.reset();
    }

    private void checkNotStarted() {
        if (started) {
            throw new IllegalStateException("the response has already started");
        }
    }
}
