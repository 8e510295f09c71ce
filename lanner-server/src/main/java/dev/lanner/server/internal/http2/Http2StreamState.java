package dev.lanner.server.internal.http2;

/**
 * The state of one stream (RFC 9113 §5.1), as Helidon's {@code Http2StreamState}: a stream the client
 * opens goes from {@link #IDLE} to {@link #OPEN} (or straight to {@link #HALF_CLOSED_REMOTE} when its
 * HEADERS carry END_STREAM), loses one direction with each END_STREAM and ends in {@link #CLOSED};
 * RST_STREAM from either side closes it at once. The server never pushes, so the reserved states do
 * not occur. Each method returns the state after an event and throws when the event is not allowed in
 * this state, so a transition is never made without being checked. Immutable values; the stream
 * swaps them atomically because its reader thread and its writer may both move it.
 */
public enum Http2StreamState {
    /** No frame seen yet (§5.1 "idle"). */
    IDLE,
    /** Both sides may send (§5.1 "open"). */
    OPEN,
    /** The server sent END_STREAM; the client may still send (§5.1 "half-closed (local)"). */
    HALF_CLOSED_LOCAL,
    /** The client sent END_STREAM; the server may still send (§5.1 "half-closed (remote)"). */
    HALF_CLOSED_REMOTE,
    /** Both sides are done, or the stream was reset (§5.1 "closed"). */
    CLOSED;

    /** The client's HEADERS opened the stream (§5.1: idle → open, or half-closed (remote) with END_STREAM). */
    public Http2StreamState onHeadersReceived(boolean endStream) {
        if (this != IDLE) {
            throw new IllegalStateException("HEADERS opening a stream in state " + this);
        }
        return endStream ? HALF_CLOSED_REMOTE : OPEN;
    }

    /**
     * END_STREAM arrived (DATA or trailers): open → half-closed (remote), half-closed (local) → closed.
     *
     * @throws IllegalStateException when the client may not send in this state (a STREAM_CLOSED error, §5.1)
     */
    public Http2StreamState onEndStreamReceived() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_REMOTE;
            case HALF_CLOSED_LOCAL -> CLOSED;
            default -> throw new IllegalStateException("END_STREAM received in state " + this);
        };
    }

    /**
     * The server queued END_STREAM: open → half-closed (local), half-closed (remote) → closed.
     *
     * @throws IllegalStateException when the server already ended its side or the stream is closed
     */
    public Http2StreamState onEndStreamSent() {
        return switch (this) {
            case OPEN -> HALF_CLOSED_LOCAL;
            case HALF_CLOSED_REMOTE -> CLOSED;
            default -> throw new IllegalStateException("END_STREAM sent in state " + this);
        };
    }

    /** RST_STREAM sent or received: any state but idle → closed (§5.1; §6.4 forbids RST_STREAM on idle streams). */
    public Http2StreamState onReset() {
        if (this == IDLE) {
            throw new IllegalStateException("RST_STREAM on an idle stream");
        }
        return CLOSED;
    }

    /** Whether the client may still send DATA or trailers (§5.1: open or half-closed (local)). */
    public boolean canReceive() {
        return this == OPEN || this == HALF_CLOSED_LOCAL;
    }

    /** Whether the server may still send frames that end or carry its side (open or half-closed (remote)). */
    public boolean canSend() {
        return this == OPEN || this == HALF_CLOSED_REMOTE;
    }

    /** Whether the client ended its side (half-closed (remote) or closed). */
    public boolean remoteEnded() {
        return this == HALF_CLOSED_REMOTE || this == CLOSED;
    }

    /** Whether the server ended its side (half-closed (local) or closed). */
    public boolean localEnded() {
        return this == HALF_CLOSED_LOCAL || this == CLOSED;
    }
}
