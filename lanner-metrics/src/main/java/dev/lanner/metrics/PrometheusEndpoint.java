package dev.lanner.metrics;

import dev.lanner.http.HttpContext;
import dev.lanner.http.RequestDelegate;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;

/**
 * Answers a scrape with the registry's meters in the Prometheus text exposition format (version
 * 0.0.4), uncached ({@code Cache-Control: no-store}). A {@code HEAD} gets the headers only.
 */
final class PrometheusEndpoint implements RequestDelegate {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    PrometheusEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void invoke(HttpContext context) throws Exception {
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        context.response().setContentType(CONTENT_TYPE).setHeader("Cache-Control", "no-store");
        context.response().setContentLength(body.length);
        context.response().write(body);
    }
}
