package dev.lanner.server;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ServerLimits#maxConcurrentConnections()} as connection middleware: a connection beyond
 * the limit is closed at once, before any byte is read. Shared by every connection it guards:
 * {@link #invoke} runs on each connection's virtual thread, and the count is an atomic counter.
 */
public final class ConnectionLimitMiddleware implements ConnectionMiddleware {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimitMiddleware.class);

    private final long max;
    private final AtomicLong current = new AtomicLong();

    public ConnectionLimitMiddleware(long max) {
        this.max = max;
    }

    @Override
    public void invoke(ConnectionContext connection, ConnectionHandler next) throws Exception {
        if (current.incrementAndGet() > max) {
            current.decrementAndGet();
            log.debug("Connection {} rejected: the limit of {} concurrent connections is reached", connection.id(), max);
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
