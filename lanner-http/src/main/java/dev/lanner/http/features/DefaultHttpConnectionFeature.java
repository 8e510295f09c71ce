package dev.lanner.http.features;

import java.net.InetAddress;

/** A plain-field {@link HttpConnectionFeature}. */
public class DefaultHttpConnectionFeature implements HttpConnectionFeature {

    private final String connectionId;
    private InetAddress remoteAddress;
    private int remotePort;
    private final InetAddress localAddress;
    private final int localPort;

    public DefaultHttpConnectionFeature(String connectionId, InetAddress remoteAddress, int remotePort,
                                        InetAddress localAddress, int localPort) {
        this.connectionId = connectionId;
        this.remoteAddress = remoteAddress;
        this.remotePort = remotePort;
        this.localAddress = localAddress;
        this.localPort = localPort;
    }

    @Override public String connectionId() { return connectionId; }
    @Override public InetAddress remoteAddress() { return remoteAddress; }
    @Override public void setRemoteAddress(InetAddress address) { this.remoteAddress = address; }
    @Override public int remotePort() { return remotePort; }
    @Override public void setRemotePort(int port) { this.remotePort = port; }
    @Override public InetAddress localAddress() { return localAddress; }
    @Override public int localPort() { return localPort; }
}
