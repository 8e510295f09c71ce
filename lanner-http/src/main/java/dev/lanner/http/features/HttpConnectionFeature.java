package dev.lanner.http.features;

import java.net.InetAddress;

/** The connection a request arrived on. Addresses are {@code null} where there is no IP transport (Unix sockets, TestServer). */
public interface HttpConnectionFeature {
    String connectionId();
    InetAddress remoteAddress();
    void setRemoteAddress(InetAddress address);
    int remotePort();
    void setRemotePort(int port);
    InetAddress localAddress();
    int localPort();
}
