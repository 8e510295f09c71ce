package dev.lanner.server.internal.infrastructure;

import dev.lanner.server.diagnostics.RejectionReason;
import dev.lanner.server.diagnostics.ServerObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The server's events in one place (Kestrel's {@code KestrelTrace}): each rejection goes to the
 * {@link ServerObserver} and is logged exactly once, at debug, on the {@code dev.lanner.server.Rejections}
 * logger, with its reason's name and the connection id in the MDC ({@value #CONNECTION_ID}). One per
 * server; safe from any thread.
 */
public final class ServerTrace {

    /** The MDC key of the connection id on every line the server logs about a connection (Kestrel's name). */
    public static final String CONNECTION_ID = "ConnectionId";

    /** The logger of every rejection's one debug line. */
    public static final String REJECTIONS_LOGGER = "dev.lanner.server.Rejections";

    private final ServerObserver observer;
    private final Logger rejections;

    public ServerTrace(ServerObserver observer) {
        this(observer, LoggerFactory.getLogger(REJECTIONS_LOGGER));
    }

    /** With another logger for the rejections (tests capture the lines). */
    public ServerTrace(ServerObserver observer, Logger rejections) {
        this.observer = observer == null ? ServerObserver.NONE : observer;
        this.rejections = rejections;
    }

    public ServerObserver observer() {
        return observer;
    }

    /** A rejection: reported to the observer, and one debug line naming the reason. */
    public void rejected(String connectionId, RejectionReason reason, String detail) {
        observer.rejected(connectionId, reason);
        if (rejections.isDebugEnabled()) {
            debug(rejections, connectionId, "Connection {} rejected: {}{}", connectionId, reason.tagValue(),
                    detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /**
     * Logs what the request core reports about a request (an application's failure, an abort) at its level,
     * with {@code connectionId} in the MDC (the request may run on a thread that serves other connections).
     */
    public static void log(Logger log, System.Logger.Level level, String connectionId, String message, Throwable failure) {
        String previous = MDC.get(CONNECTION_ID);
        boolean put = !connectionId.equals(previous);
        if (put) {
            MDC.put(CONNECTION_ID, connectionId);
        }
        try {
            switch (level) {
                case ERROR -> log.error(message, failure);
                case WARNING -> log.warn(message, failure);
                case INFO -> log.info(message, failure);
                default -> log.debug(message, failure);
            }
        } finally {
            if (put && previous == null) {
                MDC.remove(CONNECTION_ID);
            } else if (put) {
                MDC.put(CONNECTION_ID, previous);
            }
        }
    }

    /**
     * Logs {@code format} at debug with {@code connectionId} in the MDC, when {@code log} is enabled for debug.
     * On the connection's own thread the id is already there (the server puts it there for the connection's
     * life); on an event loop or the heartbeat it is put for this line and the previous value restored.
     */
    public static void debug(Logger log, String connectionId, String format, Object... arguments) {
        if (!log.isDebugEnabled()) {
            return;
        }
        String previous = MDC.get(CONNECTION_ID);
        if (connectionId.equals(previous)) {
            log.debug(format, arguments);
            return;
        }
        MDC.put(CONNECTION_ID, connectionId);
        try {
            log.debug(format, arguments);
        } finally {
            if (previous == null) {
                MDC.remove(CONNECTION_ID);
            } else {
                MDC.put(CONNECTION_ID, previous);
            }
        }
    }
}
