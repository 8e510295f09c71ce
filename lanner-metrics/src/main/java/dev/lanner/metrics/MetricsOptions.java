package dev.lanner.metrics;

import dev.lanner.hosting.config.Configuration;

/**
 * The {@code Metrics} section.
 *
 * @param enabled whether the application records metrics and serves them ({@code Metrics:Enabled}; default
 *                true whenever lanner-metrics is on the class path)
 * @param path    where the Prometheus text format is served, on the application's own pipeline
 *                ({@code Metrics:Path}; default {@code /metrics})
 * @param jvm     whether the JVM's meters (memory, GC, threads, classes, CPU, uptime) are registered too
 *                ({@code Metrics:Jvm}; default true)
 */
public record MetricsOptions(boolean enabled, String path, boolean jvm) {

    public MetricsOptions {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("Metrics:Path must start with '/': " + path);
        }
    }

    /**
     * The {@code Metrics} section of {@code configuration} over {@link #defaults()}: what
     * {@code configuration.bind("Metrics", MetricsOptions.class)} returns, read key by key (the reflective
     * binder costs the start tens of milliseconds; docs/decisions/015).
     */
    public static MetricsOptions bind(Configuration configuration) {
        Configuration section = configuration.section("Metrics").requireSection(MetricsOptions.class);
        MetricsOptions defaults = defaults();
        boolean enabled = section.getValue("Enabled", boolean.class, defaults.enabled());
        String path = section.getValue("Path", String.class, defaults.path());
        boolean jvm = section.getValue("Jvm", boolean.class, defaults.jvm());
        return section.construct(MetricsOptions.class, () -> new MetricsOptions(enabled, path, jvm));
    }

    /** The documented defaults; configuration overlays them. */
    public static MetricsOptions defaults() {
        return new MetricsOptions(true, "/metrics", true);
    }
}
