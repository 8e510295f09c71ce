package dev.lanner.metrics;

import dev.lanner.server.diagnostics.RejectionReason;
import dev.lanner.server.diagnostics.ServerObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The default server's meters (Kestrel's {@code kestrel.*} meters, named {@code lanner.*}) as its
 * {@link ServerObserver}: connections open and queued, connections refused by the connection limit,
 * connection and TLS handshake durations, TLS handshakes in progress, open HTTP/2 streams, and every
 * rejection by reason. Every meter is created up front (or once per protocol version), so an event is a
 * {@link LongAdder} add or a histogram record. Thread-safe.
 */
public final class LannerServerMetrics implements ServerObserver {

    /** Kestrel's advised boundaries for {@code kestrel.connection.duration}, in seconds. */
    static final double[] CONNECTION_BUCKETS = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300};

    private final MeterRegistry registry;
    private final LongAdder activeConnections = new LongAdder();
    private final LongAdder queuedConnections = new LongAdder();
    private final LongAdder activeTlsHandshakes = new LongAdder();
    private final LongAdder activeStreams = new LongAdder();
    private final Counter rejectedConnections;
    private final Counter[] rejections = new Counter[RejectionReason.values().length];
    private final Timer http1Connections;
    private final Timer http2Connections;
    private final Timer otherConnections;
    private final Timer failedHandshakes;
    private final ConcurrentHashMap<String, Timer> handshakes = new ConcurrentHashMap<>();

    public LannerServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        gauge("lanner.active_connections", activeConnections, "Number of connections that are currently active on the server.");
        gauge("lanner.queued_connections", queuedConnections, "Number of connections that are currently queued and are waiting to start.");
        gauge("lanner.active_tls_handshakes", activeTlsHandshakes, "Number of TLS handshakes that are currently in progress on the server.");
        gauge("lanner.http2.active_streams", activeStreams, "Number of HTTP/2 streams that are currently open on the server.");
        rejectedConnections = Counter.builder("lanner.rejected_connections")
                .description("Number of connections rejected by the server (MaxConcurrentConnections).").register(registry);
        for (RejectionReason reason : RejectionReason.values()) {
            rejections[reason.ordinal()] = Counter.builder("lanner.rejections")
                    .description("Number of requests, streams and connections the server refused, by reason.")
                    .tag("reason", reason.tagValue()).register(registry);
        }
        http1Connections = connectionTimer("1.1");
        http2Connections = connectionTimer("2");
        otherConnections = connectionTimer(null);
        failedHandshakes = handshakeTimer(null);
    }

    /**
     * A count in units such as OpenTelemetry's {@code {connection}}: no base unit, which Prometheus would add to the
     * name ({@code lanner_active_connections__connection_}).
     */
    private void gauge(String name, LongAdder value, String description) {
        Gauge.builder(name, value, LongAdder::sum).description(description).register(registry);
    }

    private Timer connectionTimer(String protocolVersion) {
        Timer.Builder builder = Timer.builder("lanner.connection.duration")
                .description("The duration of connections on the server.")
                .serviceLevelObjectives(HttpServerMetrics.durations(CONNECTION_BUCKETS));
        return (protocolVersion == null ? builder.tag("error.type", "no_protocol")
                : builder.tag("network.protocol.name", "http").tag("network.protocol.version", protocolVersion))
                .register(registry);
    }

    private Timer handshakeTimer(String tlsVersion) {
        Timer.Builder builder = Timer.builder("lanner.tls_handshake.duration")
                .description("The duration of TLS handshakes on the server.")
                .serviceLevelObjectives(HttpServerMetrics.durations(HttpServerMetrics.DURATION_BUCKETS));
        return (tlsVersion == null ? builder.tag("error.type", "handshake_failed") : builder.tag("tls.protocol.version", tlsVersion))
                .register(registry);
    }

    @Override
    public void connectionQueued() {
        queuedConnections.increment();
    }

    @Override
    public void connectionStarted(String connectionId) {
        queuedConnections.decrement();
        activeConnections.increment();
    }

    @Override
    public void connectionEnded(String connectionId, String protocolVersion, long durationNanos) {
        activeConnections.decrement();
        Timer timer = protocolVersion == null ? otherConnections
                : protocolVersion.equals("2") ? http2Connections : http1Connections;
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void tlsHandshakeStarted() {
        activeTlsHandshakes.increment();
    }

    @Override
    public void tlsHandshakeEnded(String tlsProtocol, long durationNanos) {
        activeTlsHandshakes.decrement();
        Timer timer = tlsProtocol == null ? failedHandshakes
                : handshakes.computeIfAbsent(tlsProtocol, p -> handshakeTimer(p.startsWith("TLSv") ? p.substring(4) : p));
        timer.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void http2StreamOpened() {
        activeStreams.increment();
    }

    @Override
    public void http2StreamClosed() {
        activeStreams.decrement();
    }

    @Override
    public void rejected(String connectionId, RejectionReason reason) {
        rejections[reason.ordinal()].increment();
        if (reason == RejectionReason.CONNECTION_LIMIT) {
            rejectedConnections.increment();
        }
    }
}
