/** The default server: HTTP/1.1 over TCP and Unix sockets, on virtual threads. */
module dev.lanner.server {
    requires transitive dev.lanner.http;
    // Certificates and the SSLContext, shared with the platform server.
    requires transitive dev.lanner.tls;
    requires org.slf4j;

    exports dev.lanner.server;
    exports dev.lanner.server.transport;
    exports dev.lanner.server.tls;

    provides dev.lanner.http.server.ServerProvider with dev.lanner.server.DefaultServerProvider;
}
