package dev.lanner.hosting;

import java.time.Duration;

/**
 * Host settings, bound from the {@code Hosting} configuration section.
 *
 * @param shutdownTimeout how long in-flight requests may run after a stop was requested before they
 *                        are aborted ({@code Hosting:ShutdownTimeout}; default 30 s; seconds,
 *                        {@code HH:MM:SS} or ISO-8601)
 * @param requestLog      whether each request is logged in one line ({@code Hosting:RequestLog}; default true)
 * @param nonBlocking     the application declares that its handlers never block once the request
 *                        body is received, so the server may run them inline on its I/O threads
 *                        ({@code Hosting:NonBlocking}; default false; see {@code WebApplication#setNonBlocking})
 */
public record HostOptions(Duration shutdownTimeout, boolean requestLog, boolean nonBlocking) {

    public HostOptions {
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("Hosting:ShutdownTimeout must be zero or positive: " + shutdownTimeout);
        }
    }

    /** The documented defaults; configuration overlays them. */
    public static HostOptions defaults() {
        return new HostOptions(Duration.ofSeconds(30), true, false);
    }
}
