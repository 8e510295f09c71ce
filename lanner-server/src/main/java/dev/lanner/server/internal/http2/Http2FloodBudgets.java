package dev.lanner.server.internal.http2;

import dev.lanner.server.diagnostics.RejectionReason;

/**
 * What a client may make the server do for free, bounded per connection (RFC 9113 §10.5; Netty's
 * {@code Http2ControlFrameLimitEncoder} idea): streams refused, reset or cut short (rapid reset,
 * CVE-2023-44487), SETTINGS, PING, PRIORITY and empty DATA frames (each of which costs the server an
 * answer or a wake-up without moving a byte of a request), and CONTINUATION frames per header block
 * (CVE-2024-27316). The first two are token buckets: a burst is allowed, then a steady rate; an empty
 * bucket is a connection error ENHANCE_YOUR_CALM. Pure: the caller passes the time. Used by the
 * connection's reader thread only.
 */
public final class Http2FloodBudgets {

    /** Streams refused, reset, or answered before finishing, that the client may cause at once. */
    public static final int RESET_BURST = 200;
    /** ... and per second after the burst (200 per 30 s). */
    public static final double RESET_PER_SECOND = 200.0 / 30;
    /** SETTINGS, PING, PRIORITY and empty DATA frames at once. */
    public static final int CONTROL_BURST = 1000;
    /** ... and per second after the burst. */
    public static final double CONTROL_PER_SECOND = 100;
    /** More CONTINUATION frames than this for one header block is a flood. */
    public static final int MAX_CONTINUATION_FRAMES = 32;

    private final TokenBucket resets;
    private final TokenBucket controlFrames;

    /** The default budgets. */
    public Http2FloodBudgets() {
        this(RESET_BURST, RESET_PER_SECOND, CONTROL_BURST, CONTROL_PER_SECOND);
    }

    public Http2FloodBudgets(int resetBurst, double resetPerSecond, int controlBurst, double controlPerSecond) {
        this.resets = new TokenBucket(resetBurst, resetPerSecond);
        this.controlFrames = new TokenBucket(controlBurst, controlPerSecond);
    }

    /**
     * A stream the client caused to be refused or reset.
     *
     * @throws Http2ConnectionException ENHANCE_YOUR_CALM when the budget is spent
     */
    public void spendReset(long nowNanos, String what) throws Http2ConnectionException {
        if (!resets.take(nowNanos)) {
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "flood of " + what,
                    RejectionReason.HTTP2_RAPID_RESET);
        }
    }

    /**
     * A SETTINGS, PING, PRIORITY or empty DATA frame.
     *
     * @throws Http2ConnectionException ENHANCE_YOUR_CALM when the budget is spent
     */
    public void spendControlFrame(long nowNanos, String what) throws Http2ConnectionException {
        if (!controlFrames.take(nowNanos)) {
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "flood of " + what,
                    RejectionReason.HTTP2_CONTROL_FRAME_FLOOD);
        }
    }

    /**
     * The {@code count}th CONTINUATION frame of one header block.
     *
     * @throws Http2ConnectionException ENHANCE_YOUR_CALM beyond {@link #MAX_CONTINUATION_FRAMES}
     */
    public static void checkContinuation(int count) throws Http2ConnectionException {
        if (count > MAX_CONTINUATION_FRAMES) {
            throw new Http2ConnectionException(Http2ErrorCode.ENHANCE_YOUR_CALM, "too many CONTINUATION frames",
                    RejectionReason.HTTP2_CONTINUATION_FLOOD);
        }
    }

    /** A token bucket: {@code capacity} tokens at once, refilled at {@code perSecond}. */
    private static final class TokenBucket {
        private final double capacity;
        private final double perNano;
        private double tokens;
        private long last;

        TokenBucket(int capacity, double perSecond) {
            this.capacity = capacity;
            this.perNano = perSecond / 1e9;
            this.tokens = capacity;
        }

        boolean take(long now) {
            if (last != 0) {
                tokens = Math.min(capacity, tokens + (now - last) * perNano);
            }
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
