package dev.lanner.hosting;

import java.time.Duration;

/**
 * Host settings, bound from the {@code Hosting} configuration section.
 *
 * @param shutdownTimeout how long in-flight requests may run after a stop was requested before they
 *                        are aborted ({@code Hosting:ShutdownTimeout}; default 30 s; seconds,
 *                        {@code HH:MM:SS} or ISO-8601)
 * @param requestLog      whether each request is logged in one line ({@code Hosting:RequestLog}; default true)
 */
public record HostOptions(Duration shutdownTimeout, boolean requestLog) {

    public HostOptions {
        if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("Hosting:ShutdownTimeout must be zero or positive: " + shutdownTimeout);
        }
    }

    /** The documented defaults; configuration overlays them. */
    public static HostOptions defaults() {
        return new HostOptions(Duration.ofSeconds(30), true);
    }
}
