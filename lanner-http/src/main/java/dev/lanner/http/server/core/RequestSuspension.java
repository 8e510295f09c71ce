package dev.lanner.http.server.core;

import dev.lanner.http.features.HttpRequestSuspensionFeature;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server's side of {@link HttpRequestSuspensionFeature}: the state of one request's suspension,
 * reused request after request. {@link RequestLifecycle#run} parks a suspended request;
 * {@link HttpRequestSuspensionFeature.Completion#complete} hands it to the server's {@link Resumer},
 * which finishes it with {@link RequestLifecycle#resume} where the protocol needs it (an HTTP/1.1
 * connection's event loop, an HTTP/2 stream's completing thread). A completion that comes before
 * {@code processRequest} returned is kept and applied when it returns.
 */
public final class RequestSuspension implements HttpRequestSuspensionFeature, HttpRequestSuspensionFeature.Completion {

    /** How a server finishes a parked request once it is completed. */
    @FunctionalInterface
    public interface Resumer {
        void resume(Throwable failure);
    }

    private static final int IDLE = 0;
    private static final int SUSPENDED = 1;          // the application is still in processRequest
    private static final int COMPLETED_EARLY = 2;    // complete() came before processRequest returned
    private static final int PARKED = 3;             // processRequest returned; waiting for complete()
    private static final int DONE = 4;

    private final AtomicInteger state = new AtomicInteger();
    private final Resumer resumer;
    private volatile Throwable earlyFailure;
    private Object context;

    public RequestSuspension(Resumer resumer) {
        this.resumer = resumer;
    }

    /** Ready for the next request. */
    public void reset() {
        state.set(IDLE);
        earlyFailure = null;
        context = null;
    }

    @Override
    public Completion suspend() {
        if (!state.compareAndSet(IDLE, SUSPENDED)) {
            throw new IllegalStateException("the request is already suspended");
        }
        return this;
    }

    @Override
    public void complete(Throwable failure) {
        if (state.compareAndSet(SUSPENDED, COMPLETED_EARLY)) {
            earlyFailure = failure;
            return;
        }
        if (state.compareAndSet(PARKED, DONE)) {
            resumer.resume(failure);
            return;
        }
        throw new IllegalStateException("the request is not suspended, or was completed already");
    }

    /** Whether the application suspended the request during {@code processRequest}. */
    boolean suspended() {
        int s = state.get();
        return s == SUSPENDED || s == COMPLETED_EARLY;
    }

    /**
     * After {@code processRequest} returned: parks the request with its context (true), or, when it
     * was completed already, lets the caller finish it now (false; {@link #earlyFailure()} says how).
     */
    boolean park(Object context) {
        this.context = context;
        if (state.compareAndSet(SUSPENDED, PARKED)) {
            return true;
        }
        state.set(DONE);
        return false;
    }

    Throwable earlyFailure() {
        return earlyFailure;
    }

    /** The parked request's context (the application's {@code C}). */
    Object context() {
        return context;
    }
}
