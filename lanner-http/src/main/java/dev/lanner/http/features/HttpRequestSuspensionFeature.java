package dev.lanner.http.features;

/**
 * Lets an application finish a request after {@code processRequest} returned: it calls
 * {@link #suspend()} before returning, and {@link Completion#complete} once the response is written
 * (from any thread). Until then the server neither completes the response nor serves the next
 * request of the connection. Offered where a server can wait without a thread: HTTP/1.1 requests
 * run inline on an event loop, and HTTP/2 streams. A proxy uses it to wait for its upstream without
 * holding a thread (Kestrel reaches the same with an asynchronous pipeline).
 */
public interface HttpRequestSuspensionFeature {

    /**
     * Suspends the request; at most once per request, before {@code processRequest} returns.
     *
     * @throws IllegalStateException when already suspended
     */
    Completion suspend();

    /** Ends a suspended request. */
    interface Completion {
        /**
         * Completes the request exactly once: {@code failure} null when the application finished
         * normally, else handled as if {@code processRequest} had thrown it (500 before the head went
         * out, an abort after).
         */
        void complete(Throwable failure);
    }
}
