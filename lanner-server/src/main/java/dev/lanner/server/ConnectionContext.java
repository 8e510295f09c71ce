package dev.lanner.server;

import dev.lanner.http.features.Features;
import dev.lanner.server.transport.TransportConnection;
import java.net.SocketAddress;

/**
 * One accepted connection as connection middleware sees it. Created on the accept thread, then used
 * by the connection's virtual thread (or its event loop, for a connection started without a thread);
 * the transport is volatile because the thread stopping the server closes it too.
 */
public final class ConnectionContext {

    private final String id;
    private final Features features = new Features();
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private volatile TransportConnection transport;
    private volatile String protocolVersion;
    /** When the server started serving it ({@code System.nanoTime()}), for the observer's duration. */
    long startNanos;

    public ConnectionContext(String id, TransportConnection transport) {
        this.id = id;
        this.transport = transport;
        this.localAddress = transport.localAddress();
        this.remoteAddress = transport.remoteAddress();
    }

    /** A server-unique id, also the {@code HttpConnectionFeature} id of its requests. */
    public String id() {
        return id;
    }

    /** Connection-level features (e.g. the TLS feature), visible to every request on the connection. */
    public Features features() {
        return features;
    }

    /** The byte stream HTTP is spoken over; middleware may wrap it. */
    public TransportConnection transport() {
        return transport;
    }

    public void setTransport(TransportConnection transport) {
        this.transport = transport;
    }

    /** {@code "1.1"} or {@code "2"} once the server chose the connection's HTTP version; null before. */
    public String protocolVersion() {
        return protocolVersion;
    }

    public void setProtocolVersion(String protocolVersion) {
        this.protocolVersion = protocolVersion;
    }

    public SocketAddress localAddress() {
        return localAddress;
    }

    public SocketAddress remoteAddress() {
        return remoteAddress;
    }
}
