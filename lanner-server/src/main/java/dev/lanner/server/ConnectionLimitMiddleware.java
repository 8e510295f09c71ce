package dev.lanner.server;

import dev.lanner.server.diagnostics.RejectionReason;
import dev.lanner.server.diagnostics.ServerObserver;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link ServerLimits#maxConcurrentConnections()} as connection middleware: a connection beyond
 * the limit is closed at once, before any byte is read. Shared by every connection it guards:
 * {@link #invoke} runs on each connection's virtual thread, and the count is an atomic counter.
 */
public final class ConnectionLimitMiddleware implements ConnectionMiddleware {

    private final long max;
    private final AtomicLong current = new AtomicLong();
    private final ServerTrace trace;

    public ConnectionLimitMiddleware(long max) {
        this(max, new ServerTrace(ServerObserver.NONE));
    }

    ConnectionLimitMiddleware(long max, ServerTrace trace) {
        this.max = max;
        this.trace = trace;
    }

    @Override
    public void invoke(ConnectionContext connection, ConnectionHandler next) throws Exception {
        if (current.incrementAndGet() > max) {
            current.decrementAndGet();
            trace.rejected(connection.id(), RejectionReason.CONNECTION_LIMIT, "the limit of " + max + " concurrent connections is reached");
            connection.transport().close();
            return;
        }
        try {
            next.handle(connection);
        } finally {
            current.decrementAndGet();
        }
    }
}
