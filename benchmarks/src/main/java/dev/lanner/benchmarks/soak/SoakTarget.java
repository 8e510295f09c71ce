package dev.lanner.benchmarks.soak;

import java.net.InetSocketAddress;
import javax.net.ssl.SSLContext;

/**
 * The server under soak: its loopback endpoints (HTTP/1.1, h2c with prior knowledge, TLS with
 * ALPN), the TLS context that trusts its certificate, and the limits it was started with that the
 * hostile clients aim past.
 *
 * @param http the HTTP/1.1 endpoint
 * @param h2c the h2c (prior knowledge) endpoint
 * @param tls the HTTPS endpoint
 * @param tlsContext trusts the server's certificate
 * @param maxConnections the server's MaxConcurrentConnections
 * @param requestHeadersTimeoutSeconds the server's RequestHeadersTimeout
 */
record SoakTarget(InetSocketAddress http, InetSocketAddress h2c, InetSocketAddress tls, SSLContext tlsContext,
        int maxConnections, int requestHeadersTimeoutSeconds) {

    SoakTarget {
        for (InetSocketAddress address : new InetSocketAddress[] {http, h2c, tls}) {
            if (!address.getAddress().isLoopbackAddress()) {
                throw new IllegalArgumentException("loopback only: " + address);
            }
        }
    }

    String authority(InetSocketAddress endpoint) {
        return endpoint.getHostString() + ":" + endpoint.getPort();
    }
}
