package dev.lanner.metrics;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.diagnostics.ApplicationInstrumentation;
import dev.lanner.server.LannerServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics for every application built while lanner-metrics is on the class path (hosting finds this
 * class as an {@link ApplicationInstrumentation} service): unless {@code Metrics:Enabled=false}, each
 * application gets its own Prometheus registry with the HTTP server metrics ({@link HttpServerMetrics}),
 * the default server's meters ({@link LannerServerMetrics}, when it runs on the default server) and the
 * JVM's ({@code Metrics:Jvm}), and serves them at {@code Metrics:Path} ({@code /metrics}).
 */
public final class MetricsInstrumentation implements ApplicationInstrumentation {

    private static final Logger log = LoggerFactory.getLogger(MetricsInstrumentation.class);

    @Override
    public void instrument(WebApplication application) {
        MetricsOptions options = MetricsOptions.bind(application.configuration());
        if (!options.enabled()) {
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        application.useRequestObserver(new HttpServerMetrics(registry));
        if (application.server() instanceof LannerServer server) {
            server.setObserver(new LannerServerMetrics(registry));
        }
        if (options.jvm()) {
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(registry);
            new JvmMemoryMetrics().bindTo(registry);
            new JvmThreadMetrics().bindTo(registry);
            new ClassLoaderMetrics().bindTo(registry);
            new ProcessorMetrics().bindTo(registry);
            new UptimeMetrics().bindTo(registry);
            application.lifetime().applicationStopped().onAbort(gc::close);
        }
        application.lifetime().applicationStopped().onAbort(registry::close);
        application.mapGet(options.path(), new PrometheusEndpoint(registry));
        log.debug("Metrics at {} (Prometheus text format)", options.path());
    }
}
