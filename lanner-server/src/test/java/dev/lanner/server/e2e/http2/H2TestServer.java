package dev.lanner.server.e2e.http2;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.server.EndpointOptions;
import dev.lanner.server.HttpProtocols;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.e2e.PipelineApplication;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A started {@link LannerServer} with one h2c (HTTP/2 with prior knowledge, RFC 9113 §3.3)
 * endpoint on a free loopback port, serving {@link ConformanceApplication}. Closing it stops
 * the server without grace.
 */
final class H2TestServer implements AutoCloseable {

    private static final String URL = "http://127.0.0.1:0";

    private final LannerServer server;
    private final ConformanceApplication application;
    private final int port;

    private H2TestServer(LannerServer server, ConformanceApplication application) {
        this.server = server;
        this.application = application;
        String address = server.features().get(ServerAddressesFeature.class).addresses().iterator().next();
        this.port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1).replaceAll("/.*", ""));
    }

    /** A server with the default options. */
    static H2TestServer start() throws IOException {
        return start(UnaryOperator.identity());
    }

    /** A server whose default options {@code customize} changes (limits, HTTP/2 limits). */
    static H2TestServer start(UnaryOperator<LannerServerOptions> customize) throws IOException {
        LannerServerOptions options = customize.apply(LannerServerOptions.defaults()
                .withEndpoint(EndpointOptions.of(URL).withProtocols(HttpProtocols.HTTP2)));
        // Like the HTTP/1.1 suites (RunningServer): -Dlanner.test.transport=blocking runs them on the other transport.
        if ("blocking".equals(System.getProperty("lanner.test.transport"))) {
            options = options.withTransport(LannerServerOptions.TransportKind.BLOCKING);
        }
        LannerServer server = new LannerServer(options);
        ConformanceApplication application = new ConformanceApplication();
        server.start(new PipelineApplication(application::handle));
        return new H2TestServer(server, application);
    }

    /** Whether this run serves the suite inline on the connection's thread (a non-blocking application). */
    static boolean inline() {
        return Boolean.getBoolean("lanner.test.nonBlocking");
    }

    /**
     * Skips a test on the inline path when it needs a request that stays open while its application
     * waits ({@code /slow}, {@code /watch-abort}): an inline application runs on the connection's own
     * thread, so a wait there stops the connection, which is why such applications must not block.
     */
    static void assumeApplicationMayWait() {
        org.junit.jupiter.api.Assumptions.assumeFalse(inline(),
                "needs an application that waits inside a request; an inline (non-blocking) one must not");
    }

    /**
     * Skips a test on the inline path when it needs the application to run while the request body is
     * still arriving: an inline application runs once the request is complete.
     */
    static void assumeApplicationStartsBeforeTheBodyEnds() {
        org.junit.jupiter.api.Assumptions.assumeFalse(inline(),
                "needs the application to start before the request body ends; an inline one starts after");
    }

    int port() {
        return port;
    }

    ConformanceApplication application() {
        return application;
    }

    /** A connection that has exchanged prefaces and SETTINGS with the server (RFC 9113 §3.4). */
    H2Connection connect(int... clientSettings) throws IOException {
        return H2Connection.open(port).handshake(clientSettings);
    }

    /** A connection without any HTTP/2 octets sent yet. */
    H2Connection open() throws IOException {
        return H2Connection.open(port);
    }

    void stop(Duration grace) throws InterruptedException {
        server.stop(grace);
    }

    @Override
    public void close() {
        try {
            server.stop(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
