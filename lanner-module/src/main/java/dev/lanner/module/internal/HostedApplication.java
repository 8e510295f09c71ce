package dev.lanner.module.internal;

import dev.lanner.http.HttpContext;
import dev.lanner.module.site.ApplicationEntry;

/**
 * An application the module hosts, whatever its hosting model: out of process (a child process the
 * module forwards to) or in process (its pipeline in the module's JVM).
 */
public interface HostedApplication {

    ApplicationEntry entry();

    /**
     * Serves one request routed to this application, error pages included; false (nothing done)
     * when the application was retired meanwhile, and the caller routes the request again.
     */
    boolean handle(HttpContext context) throws Exception;

    /** No new requests from now on ({@link #handle} answers false); requests in flight go on. */
    void retire();

    /** Requests being served now. */
    int inFlight();

    /** Stops the application gracefully within its limits; requests in flight may finish first. */
    void stop();
}
