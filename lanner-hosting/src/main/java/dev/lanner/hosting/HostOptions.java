package dev.lanner.hosting;

import dev.lanner.hosting.config.Configuration;
import java.time.Duration;

/**
 * Host settings, bound from the {@code Hosting} configuration section.
 *
 * @param shutdownTimeout how long in-flight requests may run after a stop was requested before they
 *                        are aborted ({@code Hosting:ShutdownTimeout}; default 30 s; seconds,
 *                        {@code HH:MM:SS} or ISO-8601)
 * @param requestLog      whether each request is logged in one line, on the {@code dev.lanner.hosting.RequestLog}
 *                        logger at Information ({@code Hosting:RequestLog}; default: on in {@code Development},
 *                        off in any other environment; an explicit value wins in every environment)
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

    /**
     * The documented defaults outside {@code Development}; configuration overlays them. The builder turns
     * the request log on in {@code Development} when {@code Hosting:RequestLog} is not set.
     */
    public static HostOptions defaults() {
        return new HostOptions(Duration.ofSeconds(30), false, false);
    }

    /**
     * The {@code Hosting} section of {@code configuration} over {@link #defaults()}: what
     * {@code configuration.bind("Hosting", HostOptions.class)} returns, read key by key (the reflective binder
     * spins method handles that cost the start tens of milliseconds; docs/decisions/015).
     */
    public static HostOptions bind(Configuration configuration) {
        Configuration section = configuration.section("Hosting").requireSection(HostOptions.class);
        HostOptions defaults = defaults();
        Duration shutdownTimeout = section.getValue("ShutdownTimeout", Duration.class, defaults.shutdownTimeout());
        boolean requestLog = section.getValue("RequestLog", boolean.class, defaults.requestLog());
        boolean nonBlocking = section.getValue("NonBlocking", boolean.class, defaults.nonBlocking());
        return section.construct(HostOptions.class, () -> new HostOptions(shutdownTimeout, requestLog, nonBlocking));
    }

    /** These options with {@code requestLog} instead. */
    public HostOptions withRequestLog(boolean requestLog) {
        return new HostOptions(shutdownTimeout, requestLog, nonBlocking);
    }
}
