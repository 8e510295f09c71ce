package dev.lanner.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.server.diagnostics.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server's events as meters: exact gauge values, counts, tags and histogram boundaries. */
class LannerServerMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LannerServerMetrics metrics = new LannerServerMetrics(registry);

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    @Test
    void connectionsMoveFromQueuedToActiveToTheDurationHistogram() {
        metrics.connectionQueued();
        metrics.connectionQueued();
        assertThat(gauge("lanner.queued_connections")).isEqualTo(2.0);
        assertThat(gauge("lanner.active_connections")).isEqualTo(0.0);

        metrics.connectionStarted("A");
        metrics.connectionStarted("B");
        assertThat(gauge("lanner.queued_connections")).isEqualTo(0.0);
        assertThat(gauge("lanner.active_connections")).isEqualTo(2.0);

        metrics.connectionEnded("A", "1.1", TimeUnit.MILLISECONDS.toNanos(15));
        metrics.connectionEnded("B", "2", TimeUnit.SECONDS.toNanos(3));
        assertThat(gauge("lanner.active_connections")).isEqualTo(0.0);
        Timer http1 = registry.get("lanner.connection.duration").tag("network.protocol.version", "1.1").timer();
        Timer http2 = registry.get("lanner.connection.duration").tag("network.protocol.version", "2").timer();
        assertThat(http1.count()).isEqualTo(1);
        assertThat(http1.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(15.0);
        assertThat(http1.getId().getTag("network.protocol.name")).isEqualTo("http");
        assertThat(http2.count()).isEqualTo(1);
        assertThat(registry.get("lanner.connection.duration").tag("error.type", "no_protocol").timer().count()).isZero();

        List<Double> boundaries = new ArrayList<>();
        for (CountAtBucket bucket : http1.takeSnapshot().histogramCounts()) {
            boundaries.add(bucket.bucket(TimeUnit.SECONDS));
        }
        assertThat(boundaries).containsExactly(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0);
        assertThat(http1.takeSnapshot().histogramCounts()[1].count()).isEqualTo(1.0); // 15 ms: in le=0.02
        assertThat(http1.takeSnapshot().histogramCounts()[0].count()).isEqualTo(0.0);
    }

    @Test
    void aConnectionThatNeverChoseAProtocolIsTaggedAsSuch() {
        metrics.connectionQueued();
        metrics.connectionStarted("A");
        metrics.rejected("A", RejectionReason.CONNECTION_LIMIT);
        metrics.connectionEnded("A", null, 1_000);
        assertThat(registry.get("lanner.connection.duration").tag("error.type", "no_protocol").timer().count()).isEqualTo(1);
        assertThat(registry.get("lanner.rejected_connections").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("lanner.rejections").tag("reason", "connection_limit").counter().count()).isEqualTo(1.0);
    }

    @Test
    void everyReasonHasItsOwnCounterFromTheStart() {
        metrics.rejected("A", RejectionReason.HTTP2_RAPID_RESET);
        metrics.rejected("B", RejectionReason.REQUEST_BODY_TOO_LARGE);
        metrics.rejected("B", RejectionReason.REQUEST_BODY_TOO_LARGE);
        List<String> reasons = new ArrayList<>();
        for (Counter counter : registry.get("lanner.rejections").counters()) {
            reasons.add(counter.getId().getTag("reason") + "=" + (long) counter.count());
        }
        assertThat(reasons).hasSize(RejectionReason.values().length)
                .contains("http2_rapid_reset=1", "request_body_too_large=2", "connection_limit=0");
        assertThat(registry.get("lanner.rejected_connections").counter().count()).isZero();
    }

    @Test
    void tlsHandshakesAreTimedByProtocolAndFailuresApart() {
        metrics.tlsHandshakeStarted();
        metrics.tlsHandshakeStarted();
        metrics.tlsHandshakeStarted();
        assertThat(gauge("lanner.active_tls_handshakes")).isEqualTo(3.0);
        metrics.tlsHandshakeEnded("TLSv1.3", TimeUnit.MILLISECONDS.toNanos(4));
        metrics.tlsHandshakeEnded("TLSv1.3", TimeUnit.MILLISECONDS.toNanos(6));
        metrics.tlsHandshakeEnded(null, TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(gauge("lanner.active_tls_handshakes")).isEqualTo(0.0);
        assertThat(registry.get("lanner.tls_handshake.duration").tag("tls.protocol.version", "1.3").timer().count()).isEqualTo(2);
        assertThat(registry.get("lanner.tls_handshake.duration").tag("error.type", "handshake_failed").timer().count()).isEqualTo(1);
    }

    @Test
    void http2StreamsAreCountedWhileOpen() {
        metrics.http2StreamOpened();
        metrics.http2StreamOpened();
        metrics.http2StreamClosed();
        assertThat(gauge("lanner.http2.active_streams")).isEqualTo(1.0);
    }
}
