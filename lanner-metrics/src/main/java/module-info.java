/**
 * Metrics for Lanner applications on Micrometer, served in the Prometheus format: the OpenTelemetry HTTP
 * server metrics for every request and the default server's connection, TLS, HTTP/2 and rejection meters.
 * Hosting finds it as a {@link dev.lanner.hosting.diagnostics.ApplicationInstrumentation} service; the
 * observers are exported for applications that register them on a registry of their own.
 */
module dev.lanner.metrics {
    requires dev.lanner.hosting;
    requires dev.lanner.server;
    requires org.slf4j;
    requires micrometer.core;
    requires micrometer.registry.prometheus;

    exports dev.lanner.metrics;
    // Hosting's configuration binder reads MetricsOptions from the Metrics section.
    opens dev.lanner.metrics to dev.lanner.hosting;

    provides dev.lanner.hosting.diagnostics.ApplicationInstrumentation with dev.lanner.metrics.MetricsInstrumentation;
}
