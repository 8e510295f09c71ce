package dev.lanner.server.internal.http2;

import java.time.Duration;

/**
 * Keep-alive pings (Kestrel's {@code KeepAlivePingDelay} / {@code KeepAlivePingTimeout}): after the
 * delay without input the server sends a PING (RFC 9113 §6.7); if its ACK does not come within the
 * timeout, the connection is dead. The reader thread records input and ACKs; the heartbeat asks what
 * to do. Pure: the caller passes the time and sends the frame.
 */
public final class Http2KeepAlivePings {

    /** What the heartbeat should do now. */
    public enum Action {
        /** Nothing. */
        NONE,
        /** Send a PING and report it with {@link #pingSent}. */
        SEND_PING,
        /** The last PING went unanswered for longer than the timeout: abort the connection. */
        TIMED_OUT
    }

    private final long delayNanos;
    private final long timeoutNanos;
    private final boolean enabled;
    private volatile long lastReadNanos;
    private volatile long pingSentNanos;

    /** {@code delay} null: pings are off. */
    public Http2KeepAlivePings(Duration delay, Duration timeout, long nowNanos) {
        this.enabled = delay != null;
        this.delayNanos = delay == null ? 0 : delay.toNanos();
        this.timeoutNanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
        this.lastReadNanos = nowNanos;
    }

    /** Input arrived (reader thread; the heartbeat's clock, so one volatile write per read, not per frame). */
    public void onRead(long nowNanos) {
        lastReadNanos = nowNanos;
    }

    /** The client acknowledged a PING. */
    public void onPingAck() {
        pingSentNanos = 0;
    }

    /** The server sent its PING at {@code nowNanos}. */
    public void pingSent(long nowNanos) {
        pingSentNanos = nowNanos;
    }

    /** What to do at {@code nowNanos} (heartbeat). */
    public Action onHeartbeat(long nowNanos) {
        if (!enabled) {
            return Action.NONE;
        }
        long sent = pingSentNanos;
        if (sent != 0) {
            return nowNanos - sent > timeoutNanos ? Action.TIMED_OUT : Action.NONE;
        }
        return nowNanos - lastReadNanos > delayNanos ? Action.SEND_PING : Action.NONE;
    }
}
