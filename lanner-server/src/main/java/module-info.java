/**
 * The default server: HTTP/1.1 and HTTP/2 (h2 over TLS by ALPN, h2c by prior knowledge), HTTPS with
 * SNI and client certificates, over TCP and Unix sockets, on an event loop with virtual threads for
 * requests that block. Exports the options, the transport SPI and the TLS configuration; the
 * protocol engines stay in {@code internal}.
 */
module dev.lanner.server {
    requires transitive dev.lanner.http;
    // Certificates and the SSLContext, shared with the platform server.
    requires transitive dev.lanner.tls;
    requires org.slf4j;

    exports dev.lanner.server;
    exports dev.lanner.server.diagnostics;
    exports dev.lanner.server.transport;
    exports dev.lanner.server.tls;

    provides dev.lanner.http.server.ServerProvider with dev.lanner.server.DefaultServerProvider;
}
