package dev.lanner.server.internal.infrastructure;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kestrel's heartbeat: one thread per server that, once a second, refreshes the pre-encoded
 * {@code Date} header and checks every connection's timeouts and data rates. One tick for all
 * connections costs far less than a timer per read.
 */
public final class Heartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);
    private static final long INTERVAL_MILLIS = 1000;

    private final ServerContext server;
    private final Set<TimedConnection> connections = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean running = true;

    public Heartbeat(ServerContext server) {
        this.server = server;
        this.thread = Thread.ofPlatform().daemon().name("lanner-heartbeat").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    public void register(TimedConnection connection) {
        connections.add(connection);
    }

    public void unregister(TimedConnection connection) {
        connections.remove(connection);
    }

    public Set<TimedConnection> connections() {
        return connections;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(INTERVAL_MILLIS - System.currentTimeMillis() % INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                tick(System.nanoTime());
            } catch (OutOfMemoryError e) {
                // A beat lost to an exhausted heap: the next one still keeps time and the timeouts.
            }
        }
    }

    /** One beat; public so that tests can drive time without sleeping. */
    public void tick(long nowNanos) {
        server.tick(nowNanos);
        server.date().refresh(System.currentTimeMillis());
        for (TimedConnection c : connections) {
            try {
                c.onHeartbeat(nowNanos);
            } catch (RuntimeException e) {
                log.warn("Heartbeat check failed for a connection: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
