package dev.lanner.hosting;

import dev.lanner.http.AbortController;
import dev.lanner.http.AbortSignal;
import java.util.concurrent.CountDownLatch;

/** The lifetime events of one application, and the way to ask it to stop. */
public final class ApplicationLifetime {

    private final AbortController started = new AbortController();
    private final AbortController stopping = new AbortController();
    private final AbortController stopped = new AbortController();
    private final CountDownLatch stoppedLatch = new CountDownLatch(1);
    private final Runnable stopRequest;

    ApplicationLifetime(Runnable stopRequest) {
        this.stopRequest = stopRequest;
    }

    /** Fires once the server is listening. */
    public AbortSignal applicationStarted() {
        return started;
    }

    /** Fires when a stop begins (in-flight requests are still running). */
    public AbortSignal applicationStopping() {
        return stopping;
    }

    /** Fires when the stop is complete. */
    public AbortSignal applicationStopped() {
        return stopped;
    }

    /** Requests a graceful stop; returns at once. */
    public void stopApplication() {
        stopRequest.run();
    }

    void fireStarted() {
        started.abort();
    }

    boolean fireStopping() {
        return stopping.abort();
    }

    void fireStopped() {
        stopped.abort();
        stoppedLatch.countDown();
    }

    void awaitStopped() throws InterruptedException {
        stoppedLatch.await();
    }
}
