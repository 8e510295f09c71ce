package dev.lanner.module.internal;

import dev.lanner.http.HttpContext;
import dev.lanner.module.site.ApplicationEntry;

/**
 * An application the module hosts, whatever its hosting model: out of process (a child process the
 * module forwards to) or in process (its pipeline in the module's JVM).
 */
public interface HostedApplication {

    ApplicationEntry entry();

    /** Serves one request routed to this application; error pages included. */
    void handle(HttpContext context) throws Exception;

    /** Requests being served now. */
    int inFlight();

    /** Stops the application gracefully within its limits; requests in flight may finish first. */
    void stop();
}
