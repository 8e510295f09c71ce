package dev.lanner.testkit;

import dev.lanner.http.HttpContext;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.server.HttpApplication;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The smallest host: an {@link HttpApplication} that runs one {@link RequestDelegate} per request,
 * with nothing between server and application (no error pages, no logging), so that the kit sees
 * exactly what the server does. It records each disposed request's failure.
 */
public final class KitApplication implements HttpApplication<HttpContext> {

    private final RequestDelegate delegate;
    private final Semaphore disposed = new Semaphore(0);
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

    public KitApplication(RequestDelegate delegate) {
        this.delegate = delegate;
    }

    @Override
    public HttpContext createContext(FeatureCollection features) {
        return new HttpContext(features);
    }

    @Override
    public void processRequest(HttpContext context) throws Exception {
        delegate.invoke(context);
    }

    @Override
    public void disposeContext(HttpContext context, Throwable error) {
        if (error != null) {
            failures.add(error);
        }
        disposed.release();
    }

    /** Waits (at most 10 s) until {@code count} requests have been disposed; false when they were not. */
    public boolean awaitDisposed(int count) throws InterruptedException {
        return disposed.tryAcquire(count, 10, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The failures passed to {@link #disposeContext}, in order. */
    public java.util.List<Throwable> failures() {
        return java.util.List.copyOf(failures);
    }
}
