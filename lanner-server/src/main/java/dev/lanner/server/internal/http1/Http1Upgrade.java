package dev.lanner.server.internal.http1;

import dev.lanner.http.features.HttpUpgradeFeature;
import dev.lanner.http.features.UpgradedConnection;
import dev.lanner.http.server.core.ResponseState;
import dev.lanner.server.internal.infrastructure.ServerContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * HTTP/1.1 upgrade (RFC 9110 §7.8): answers 101 (Switching Protocols) and hands the connection's byte
 * stream to the application as an {@link UpgradedConnection}, counted against the server's limit
 * of upgraded connections. Its input first yields what the connection had already buffered. The
 * application's thread (the connection's virtual thread: an upgradable request never runs inline)
 * uses it; {@link UpgradedStream#close()} may come from any thread.
 */
final class Http1Upgrade implements HttpUpgradeFeature {

    private final Http1Connection connection;
    private final ServerContext server;
    private UpgradedStream upgraded;

    Http1Upgrade(Http1Connection connection) {
        this.connection = connection;
        this.server = connection.server;
    }

    /** Whether the connection switched protocols (it serves no more requests). */
    boolean isUpgraded() {
        return upgraded != null;
    }

    @Override
    public boolean isUpgradableRequest() {
        return connection.request.isUpgradable();
    }

    @Override
    public UpgradedConnection upgrade() throws IOException {
        if (!isUpgradableRequest()) {
            throw new IllegalStateException("the request is not upgradable (needs HTTP/1.1, Connection: upgrade, Upgrade, no body)");
        }
        if (connection.output.headSent()) {
            throw new IllegalStateException("the response has already started");
        }
        Long max = connection.limits.maxConcurrentUpgradedConnections();
        if (max != null && server.upgradedConnections().incrementAndGet() > max) {
            server.upgradedConnections().decrementAndGet();
            throw new IllegalStateException("the limit of " + max + " upgraded connections is reached");
        } else if (max == null) {
            server.upgradedConnections().incrementAndGet();
        }
        upgraded = new UpgradedStream();
        Http1Request request = connection.request;
        ResponseState response = request.response().head();
        response.setStatusCode(101);
        response.headers().set("Connection", "Upgrade");
        if (!response.headers().contains("upgrade")) {
            response.headers().set("Upgrade", request.headers().get("upgrade"));
        }
        request.keepAlive = true;
        connection.output.commitUpgrade();
        connection.timeouts.enter(ConnectionPhase.UPGRADED);
        return upgraded;
    }

    /** When the connection ends: an upgraded stream the application left open is closed (its slot freed). */
    void closeIfOpen() {
        if (upgraded != null) {
            try {
                upgraded.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** The byte stream after the 101: buffered input first, then the socket. */
    private final class UpgradedStream implements UpgradedConnection {

        private final InputStream input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                Http1Input in = connection.input;
                if (in.isEmpty()) {
                    connection.output.flush();
                    if (!in.fill(false)) {
                        return -1;
                    }
                }
                int n = Math.min(len, in.available());
                System.arraycopy(in.array(), in.start(), b, off, n);
                in.consume(n);
                return n;
            }
        };

        private final OutputStream output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                connection.transport.write(ByteBuffer.wrap(b, off, len));
            }
        };

        private boolean closed;

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public synchronized void close() throws IOException {
            // Synchronized: the application may close from another thread while the connection ends.
            if (!closed) {
                closed = true;
                server.upgradedConnections().decrementAndGet();
                connection.transport.close();
            }
        }
    }
}
