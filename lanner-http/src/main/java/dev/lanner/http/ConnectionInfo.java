package dev.lanner.http;

import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import java.net.InetAddress;
import java.security.cert.X509Certificate;

/** The connection view of an {@link HttpContext}. Values are {@code null}/0 where the server has no such information. */
public final class ConnectionInfo {

    private final HttpContext context;

    ConnectionInfo(HttpContext context) {
        this.context = context;
    }

    public String id() {
        HttpConnectionFeature f = context.connectionFeature();
        return f == null ? null : f.connectionId();
    }

    public InetAddress remoteAddress() {
        HttpConnectionFeature f = context.connectionFeature();
        return f == null ? null : f.remoteAddress();
    }

    public void setRemoteAddress(InetAddress address) {
        HttpConnectionFeature f = context.connectionFeature();
        if (f != null) {
            f.setRemoteAddress(address);
        }
    }

    public int remotePort() {
        HttpConnectionFeature f = context.connectionFeature();
        return f == null ? 0 : f.remotePort();
    }

    public void setRemotePort(int port) {
        HttpConnectionFeature f = context.connectionFeature();
        if (f != null) {
            f.setRemotePort(port);
        }
    }

    public InetAddress localAddress() {
        HttpConnectionFeature f = context.connectionFeature();
        return f == null ? null : f.localAddress();
    }

    public int localPort() {
        HttpConnectionFeature f = context.connectionFeature();
        return f == null ? 0 : f.localPort();
    }

    /** The client certificate from TLS, or {@code null}. */
    public X509Certificate clientCertificate() {
        TlsConnectionFeature tls = context.features().get(TlsConnectionFeature.class);
        return tls == null ? null : tls.clientCertificate();
    }
}
