package dev.lanner.server.internal.http1;

import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.server.core.DataRateMeter;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.diagnostics.RejectionReason;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import dev.lanner.server.internal.infrastructure.TimedConnection;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The timeouts and data rates of one HTTP/1.x connection (Kestrel's {@code TimeoutControl}): the
 * serving thread records the {@link ConnectionPhase} and feeds the two {@link DataRateMeter}s (request
 * body, response); the heartbeat thread, once a second, checks the phase's deadline (keep-alive,
 * request headers) and the rates, and acts: it wakes a blocked read with end of stream and records
 * why ({@link #timedOut()}), so the connection answers 408 or just closes; a response too slow aborts
 * the connection. While a blocking application runs with its body in, the heartbeat also starts the
 * {@link DisconnectWatcher}.
 */
final class Http1Timeouts implements TimedConnection {

    private static final Logger log = LoggerFactory.getLogger(Http1Timeouts.class);
    private static final long TICK_NANOS = 1_000_000_000L;

    private final Http1Connection connection;
    private final ServerContext server;
    private final ServerLimits limits;
    private final DataRateMeter bodyRate = new DataRateMeter();
    private final DataRateMeter responseRate = new DataRateMeter();
    private volatile ConnectionPhase phase = ConnectionPhase.IDLE;
    private volatile long phaseStartNanos = System.nanoTime();
    private volatile TimeoutReason timedOut;
    private long lastTickNanos;

    Http1Timeouts(Http1Connection connection) {
        this.connection = connection;
        this.server = connection.server;
        this.limits = connection.limits;
    }

    DataRateMeter bodyRate() {
        return bodyRate;
    }

    DataRateMeter responseRate() {
        return responseRate;
    }

    ConnectionPhase phase() {
        return phase;
    }

    /** Why the heartbeat cut the connection's wait, or null. */
    TimeoutReason timedOut() {
        return timedOut;
    }

    /** The serving thread enters {@code next}; its deadline counts from now (the heartbeat's clock). */
    void enter(ConnectionPhase next) {
        // The heartbeat's clock (refreshed each tick) is precise enough for timeouts checked once a second.
        phase = next;
        phaseStartNanos = server.nowNanos();
    }

    /** A new request: both meters start from zero. */
    void resetRates() {
        bodyRate.reset();
        responseRate.reset();
    }

    @Override
    public void onHeartbeat(long now) {
        long delta = lastTickNanos == 0 ? 0 : now - lastTickNanos;
        lastTickNanos = now;
        // Phases start on the heartbeat's clock, which lags real time by up to one tick: a timeout
        // fires once it has surely elapsed (between timeout and timeout + two ticks), never early.
        long inPhase = now - phaseStartNanos - TICK_NANOS;
        switch (phase) {
            case IDLE -> {
                if (inPhase > limits.keepAliveTimeout().toNanos()) {
                    timeout(TimeoutReason.KEEP_ALIVE);
                }
            }
            case HEAD -> {
                if (inPhase > limits.requestHeadersTimeout().toNanos()) {
                    timeout(TimeoutReason.REQUEST_HEADERS);
                }
            }
            case APP -> {
                Http1Request request = connection.request;
                if (bodyRate.tick(delta, request.minDataRate())) {
                    timeout(TimeoutReason.REQUEST_BODY_RATE);
                }
                MinDataRate rate = request.response().minDataRate();
                if (responseRate.tick(delta, rate)) {
                    connection.server.trace().rejected(connection.connectionId, RejectionReason.MIN_RESPONSE_DATA_RATE,
                            "below " + rate.bytesPerSecond() + " B/s; aborting");
                    connection.abortConnection(TimeoutReason.RESPONSE_RATE.toString());
                }
                DisconnectWatcher watcher = connection.input.watcher();
                if (watcher != null && inPhase >= TICK_NANOS && !bodyRate.isWaiting() && connection.mayWatchForDisconnect()) {
                    watcher.startIfIdle(connection.input, () -> phase == ConnectionPhase.APP);
                }
            }
            default -> { }
        }
    }

    private void timeout(TimeoutReason reason) {
        timedOut = reason;
        if (reason == TimeoutReason.KEEP_ALIVE) {
            // The others are rejections the connection loop answers (408) and logs once there.
            ServerTrace.debug(log, connection.connectionId, "Connection {}: {}", connection.connectionId, reason);
        }
        try {
            // Wakes the blocked read with end-of-stream; the connection loop then answers (408) and closes.
            connection.transport.shutdownInput();
        } catch (IOException e) {
            connection.abortConnection(reason.toString());
        }
    }

    @Override
    public boolean closeIfIdle() {
        ConnectionPhase p = phase;
        if (p == ConnectionPhase.IDLE) {
            timedOut = TimeoutReason.STOPPING;
            try {
                connection.transport.shutdownInput();
            } catch (IOException e) {
                connection.abortConnection(TimeoutReason.STOPPING.toString());
            }
            return true;
        }
        return p == ConnectionPhase.CLOSED;
    }

    @Override
    public void abort(String reason) {
        connection.abortConnection(reason);
    }
}
