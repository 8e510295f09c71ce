package dev.lanner.http.server.core;

import dev.lanner.http.features.HttpConnectionFeature;
import java.net.InetAddress;

/**
 * The connection feature of one request: the connection's ids and addresses, with the remote address
 * and port the application (forwarded-headers middleware, the module's integration) may replace for
 * this request only. {@link #reset()} restores the connection's values between requests, so a value
 * set for one request never reaches the next request on a keep-alive connection, nor another stream
 * of an HTTP/2 connection (each stream has its own). Used by the request's thread.
 */
public final class RequestConnectionFeature implements HttpConnectionFeature {

    private final String connectionId;
    private final InetAddress localAddress;
    private final int localPort;
    private final InetAddress connectionRemoteAddress;
    private final int connectionRemotePort;
    private InetAddress remoteAddress;
    private int remotePort;

    public RequestConnectionFeature(String connectionId, InetAddress remoteAddress, int remotePort,
                                    InetAddress localAddress, int localPort) {
        this.connectionId = connectionId;
        this.connectionRemoteAddress = remoteAddress;
        this.connectionRemotePort = remotePort;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
    }

    /** Back to the connection's own remote address and port. */
    public void reset() {
        remoteAddress = connectionRemoteAddress;
        remotePort = connectionRemotePort;
    }

    @Override public String connectionId() { return connectionId; }
    @Override public InetAddress remoteAddress() { return remoteAddress; }
    @Override public void setRemoteAddress(InetAddress address) { this.remoteAddress = address; }
    @Override public int remotePort() { return remotePort; }
    @Override public void setRemotePort(int port) { this.remotePort = port; }
    @Override public InetAddress localAddress() { return localAddress; }
    @Override public int localPort() { return localPort; }
}
