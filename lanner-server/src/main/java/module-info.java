/** The default server: HTTP/1.1 over TCP and Unix sockets, on virtual threads. */
module dev.lanner.server {
    requires transitive dev.lanner.http;
    requires org.slf4j;

    exports dev.lanner.server;
    exports dev.lanner.server.transport;
    exports dev.lanner.server.tls;

    // Provided by lanner-certificates (BouncyCastle), so that the server itself needs the JDK alone.
    uses dev.lanner.server.tls.PemCertificateReader;
    uses dev.lanner.server.tls.DevelopmentCertificateProvider;

    provides dev.lanner.http.server.ServerProvider with dev.lanner.server.DefaultServerProvider;
}
