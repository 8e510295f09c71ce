package dev.lanner.benchmarks;

import dev.lanner.hosting.diagnostics.RequestObserver;
import dev.lanner.hosting.internal.HostingApplication;
import dev.lanner.hosting.internal.RouteTable;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.metrics.HttpServerMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the request metrics add to a plaintext request in hosting: one request through
 * {@link HostingApplication} (create the context, run the route table's {@code GET /plaintext}, dispose)
 * on a feature collection reused as the default server reuses a connection's, with
 * {@code metrics=off} (no observer: the route table records nothing) and {@code metrics=on}
 * ({@link HttpServerMetrics} on a Prometheus registry, the route recorded). The difference is the cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class RequestMetricsBenchmark {

    /** {@code off}, {@code on}; and to see where the time goes: {@code hook} (an observer that does nothing, route
     * recorded), {@code noroute} (the metrics, but no route recorded: every request under the unrouted meters). */
    @Param({"off", "on", "hook", "noroute"})
    public String metrics;

    private HostingApplication application;
    private Features features;
    private DefaultHttpResponseFeature response;

    @Setup
    public void setUp() {
        RouteTable routes = new RouteTable();
        routes.add("GET", "/plaintext", ctx -> ctx.response().setContentType("text/plain").setContentLength(13));
        routes.setRecordRoutes(metrics.equals("on") || metrics.equals("hook"));
        RequestObserver observer = switch (metrics) {
            case "on", "noroute" -> new HttpServerMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            case "hook" -> new RequestObserver() {
                @Override public void requestStarted(HttpContext context) { }
                @Override public void requestEnded(HttpContext context, String route, Throwable failure, long nanos) { }
            };
            default -> null;
        };
        application = new HostingApplication(routes::dispatch, false, false, true, null, observer, false);
        features = new Features();
        DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
        request.setMethod("GET");
        request.setScheme("http");
        request.setProtocol("HTTP/1.1");
        request.setPath("/plaintext");
        request.setHeaders(HttpHeaders.of("Host", "127.0.0.1:8080", "User-Agent", "wrk", "Accept", "*/*"));
        features.set(HttpRequestFeature.class, request);
        response = new DefaultHttpResponseFeature();
        features.set(HttpResponseFeature.class, response);
        features.set(HostContextContainer.class, new HostContextContainer() {
            private Object context;

            @Override public Object hostContext() { return context; }
            @Override public void setHostContext(Object value) { context = value; }
        });
    }

    @Benchmark
    public int request() throws Exception {
        response.setStatusCode(200);
        HostingApplication.RequestState state = application.createContext(features);
        application.processRequest(state);
        application.disposeContext(state, null);
        return response.statusCode();
    }
}
