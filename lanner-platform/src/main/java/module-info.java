/**
 * The platform server: the Lanner {@code Server} contract on the JDK's own HTTP server
 * ({@code com.sun.net.httpserver}), with HTTP.sys-style URL-prefix registration so that several
 * applications in one JVM share a port.
 */
module dev.lanner.platform {
    requires transitive dev.lanner.http;
    requires dev.lanner.tls;
    requires jdk.httpserver;
    requires org.slf4j;

    exports dev.lanner.platform;

    provides dev.lanner.http.server.ServerProvider with dev.lanner.platform.PlatformServerProvider;
}
