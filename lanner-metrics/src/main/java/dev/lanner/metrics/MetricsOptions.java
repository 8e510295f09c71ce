package dev.lanner.metrics;

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

    /** The documented defaults; configuration overlays them. */
    public static MetricsOptions defaults() {
        return new MetricsOptions(true, "/metrics", true);
    }
}
