package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2KeepAlivePings.Action.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Keep-alive pings: a PING after the delay without input, the connection dead if its ACK is late. */
class Http2KeepAlivePingsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void offWithoutADelay() {
        assertThat(new Http2KeepAlivePings(null, Duration.ofSeconds(1), 0).onHeartbeat(100 * SECOND)).isEqualTo(NONE);
    }

    @Test
    void pingsAfterTheDelayWithoutInputAndTimesOutWithoutAnAck() {
        Http2KeepAlivePings pings = new Http2KeepAlivePings(Duration.ofSeconds(10), Duration.ofSeconds(5), 0);
        assertThat(pings.onHeartbeat(10 * SECOND)).isEqualTo(NONE);
        pings.onRead(5 * SECOND);
        assertThat(pings.onHeartbeat(15 * SECOND)).isEqualTo(NONE);
        assertThat(pings.onHeartbeat(16 * SECOND)).isEqualTo(SEND_PING);
        pings.pingSent(16 * SECOND);
        assertThat(pings.onHeartbeat(21 * SECOND)).isEqualTo(NONE);
        assertThat(pings.onHeartbeat(22 * SECOND)).isEqualTo(TIMED_OUT);
    }

    @Test
    void anAckStopsTheTimeout() {
        Http2KeepAlivePings pings = new Http2KeepAlivePings(Duration.ofSeconds(10), Duration.ofSeconds(5), 0);
        pings.pingSent(11 * SECOND);
        pings.onPingAck();
        pings.onRead(12 * SECOND);
        assertThat(pings.onHeartbeat(20 * SECOND)).isEqualTo(NONE);
    }
}
