package dev.lanner.metrics;

import dev.lanner.hosting.diagnostics.RequestObserver;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpRequest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The OpenTelemetry HTTP server metrics (semantic conventions, {@code http.server.*}) as a hosting
 * {@link RequestObserver}: {@code http.server.active_requests} and {@code http.server.request.duration}.
 *
 * <p>Per request this is two array reads and a {@link LongAdder} add at the start, and at the end a
 * {@link ConcurrentHashMap} lookup by route (the route table's own template string), three array reads
 * and the histogram's record: the meter of each tag combination is created once, on first use, and kept,
 * so a request allocates nothing. Only a request that failed with an exception (tag {@code error.type})
 * goes through the registry's own lookup.
 */
public final class HttpServerMetrics implements RequestObserver {

    /** OpenTelemetry's advised boundaries for {@code http.server.request.duration}, in seconds. */
    static final double[] DURATION_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

    /** The methods OpenTelemetry names (RFC 9110 and PATCH); any other is {@code _OTHER}. */
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "CONNECT", "TRACE", "_OTHER"};
    private static final String[] PROTOCOLS = {"1.1", "2", "1.0", "3"};
    private static final String[] SCHEMES = {"http", "https"};
    private static final int STATUSES = 500; // 100..599

    private final MeterRegistry registry;
    private final Duration[] buckets;
    /** Active requests by method and scheme, registered as gauges on first use. */
    private final AtomicReferenceArray<LongAdder> active = new AtomicReferenceArray<>(METHODS.length * SCHEMES.length);
    private final ConcurrentHashMap<String, DurationMeters> byRoute = new ConcurrentHashMap<>();
    private final DurationMeters unrouted = new DurationMeters(null);

    public HttpServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.buckets = durations(DURATION_BUCKETS);
    }

    @Override
    public void requestStarted(HttpContext context) {
        activeRequests(context.request()).increment();
    }

    @Override
    public void requestEnded(HttpContext context, String route, Throwable failure, long durationNanos) {
        HttpRequest request = context.request();
        activeRequests(request).decrement();
        int status = context.response().statusCode();
        if (failure != null || status < 100 || status > 599) {
            timer(request, route, status, failure).record(durationNanos, TimeUnit.NANOSECONDS);
            return;
        }
        DurationMeters meters = route == null ? unrouted : byRoute.get(route);
        if (meters == null) {
            meters = byRoute.computeIfAbsent(route, DurationMeters::new);
        }
        meters.timer(methodIndex(request.method()), protocolIndex(request.protocol()), schemeIndex(request.scheme()), status)
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }

    private LongAdder activeRequests(HttpRequest request) {
        int method = methodIndex(request.method());
        int scheme = schemeIndex(request.scheme());
        int i = method * SCHEMES.length + scheme;
        LongAdder adder = active.get(i);
        if (adder == null) {
            LongAdder created = new LongAdder();
            Gauge.builder("http.server.active_requests", created, LongAdder::sum)
                    .description("Number of active HTTP server requests.")
                    .tags("http.request.method", METHODS[method], "url.scheme", SCHEMES[scheme])
                    .register(registry);
            adder = active.compareAndExchange(i, null, created);
            if (adder == null) {
                adder = created;
            }
        }
        return adder;
    }

    /** The slow path: a failed request or an odd status, looked up by the registry. */
    private Timer timer(HttpRequest request, String route, int status, Throwable failure) {
        return durationTimer(METHODS[methodIndex(request.method())], protocolName(request.protocol()),
                SCHEMES[schemeIndex(request.scheme())], status, route,
                failure != null ? failure.getClass().getName() : null);
    }

    private Timer durationTimer(String method, String protocol, String scheme, int status, String route, String errorType) {
        Tags tags = Tags.of("http.request.method", method, "http.response.status_code", Integer.toString(status),
                "network.protocol.version", protocol, "url.scheme", scheme);
        if (route != null) {
            tags = tags.and("http.route", route);
        }
        if (errorType == null && status >= 500) {
            errorType = Integer.toString(status); // the semantic conventions' error.type for a 5xx without an exception
        }
        if (errorType != null) {
            tags = tags.and("error.type", errorType);
        }
        return Timer.builder("http.server.request.duration")
                .description("Duration of HTTP server requests.")
                .tags(tags)
                .serviceLevelObjectives(buckets)
                .register(registry);
    }

    /** The request duration timers of one route: by method, protocol and scheme, then by status. */
    private final class DurationMeters {
        private final String route;
        private final AtomicReferenceArray<AtomicReferenceArray<Timer>> byVariant =
                new AtomicReferenceArray<>(METHODS.length * PROTOCOLS.length * SCHEMES.length);

        DurationMeters(String route) {
            this.route = route;
        }

        Timer timer(int method, int protocol, int scheme, int status) {
            int variant = (method * PROTOCOLS.length + protocol) * SCHEMES.length + scheme;
            AtomicReferenceArray<Timer> byStatus = byVariant.get(variant);
            if (byStatus == null) {
                byVariant.compareAndSet(variant, null, new AtomicReferenceArray<>(STATUSES));
                byStatus = byVariant.get(variant);
            }
            Timer timer = byStatus.get(status - 100);
            if (timer == null) {
                // The registry returns the one meter of these tags, so a race registers nothing twice.
                timer = durationTimer(METHODS[method], PROTOCOLS[protocol], SCHEMES[scheme], status, route, null);
                byStatus.set(status - 100, timer);
            }
            return timer;
        }
    }

    static int methodIndex(String method) {
        return switch (method) {
            case "GET" -> 0;
            case "POST" -> 1;
            case "PUT" -> 2;
            case "DELETE" -> 3;
            case "HEAD" -> 4;
            case "OPTIONS" -> 5;
            case "PATCH" -> 6;
            case "CONNECT" -> 7;
            case "TRACE" -> 8;
            default -> 9;
        };
    }

    /** {@code HTTP/1.1} → {@code 1.1}; an unknown protocol counts as 1.1 on the fast path (see {@link #protocolName}). */
    private static int protocolIndex(String protocol) {
        return switch (protocol) {
            case "HTTP/2" -> 1;
            case "HTTP/1.0" -> 2;
            case "HTTP/3" -> 3;
            default -> 0;
        };
    }

    private static String protocolName(String protocol) {
        return PROTOCOLS[protocolIndex(protocol)];
    }

    private static int schemeIndex(String scheme) {
        return "https".equals(scheme) ? 1 : 0;
    }

    static Duration[] durations(double[] seconds) {
        Duration[] result = new Duration[seconds.length];
        for (int i = 0; i < seconds.length; i++) {
            result[i] = Duration.ofNanos(Math.round(seconds[i] * 1e9));
        }
        return result;
    }
}
