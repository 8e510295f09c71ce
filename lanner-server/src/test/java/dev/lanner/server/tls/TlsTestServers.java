package dev.lanner.server.tls;

import dev.lanner.http.ApplicationBuilder;
import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.e2e.PipelineApplication;
import dev.lanner.server.e2e.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Starts a server behind {@link TlsConnectionMiddleware} with the test endpoints below. */
final class TlsTestServers {

    private TlsTestServers() {
    }

    static RunningServer start(TlsOptions options) throws IOException {
        return start(options, LannerServerOptions.TransportKind.EVENT_LOOP);
    }

    /** A server whose application may block: on the event loop transport, requests run on the connections' threads. */
    static RunningServer start(TlsOptions options, LannerServerOptions.TransportKind transport) throws IOException {
        return RunningServer.start(serverOptions(options, transport), PipelineApplication.build(TlsTestServers::endpoints),
                "http://127.0.0.1:0");
    }

    /**
     * A server on the event loop transport whose application declares itself non-blocking, so that
     * requests run inline on the loop (those that must wait for a body still go to a thread).
     */
    static InlineServer startInline(TlsOptions options) throws IOException {
        LannerServer server = new LannerServer(serverOptions(options, LannerServerOptions.TransportKind.EVENT_LOOP));
        server.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:0");
        server.start(new NonBlockingApplication(PipelineApplication.build(TlsTestServers::endpoints)));
        return new InlineServer(server);
    }

    private static LannerServerOptions serverOptions(TlsOptions options, LannerServerOptions.TransportKind transport) {
        return LannerServerOptions.defaults()
                .withTransport(transport)
                .withConnectionMiddleware(new TlsConnectionMiddleware(options));
    }

    /**
     * <ul>
     *   <li>{@code /info}: {@code protocol|cipher suite|ALPN|client certificate subject|SNI name|scheme}</li>
     *   <li>{@code /echo}: the request body</li>
     *   <li>{@code /bytes?n=N}: N bytes of {@link PatternBytes}</li>
     *   <li>{@code /thread}: the name of the thread that ran the request</li>
     * </ul>
     */
    private static void endpoints(ApplicationBuilder app) {
        app.map("/info", b -> b.run(TlsTestServers::info))
                .map("/echo", b -> b.run(ctx -> respond(ctx, ctx.request().readAllBytes())))
                .map("/bytes", b -> b.run(ctx -> respond(ctx, PatternBytes.of(Integer.parseInt(ctx.request().query("n"))))))
                .map("/thread", b -> b.run(ctx -> respond(ctx,
                        Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8))));
    }

    private static void info(HttpContext ctx) throws IOException {
        TlsConnectionFeature tls = ctx.feature(TlsConnectionFeature.class);
        String body = tls.protocol() + "|" + tls.cipherSuite() + "|" + tls.applicationProtocol() + "|"
                + (tls.clientCertificate() == null ? null : tls.clientCertificate().getSubjectX500Principal().getName())
                + "|" + tls.serverName() + "|" + ctx.request().scheme();
        respond(ctx, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpContext ctx, byte[] body) throws IOException {
        ctx.response().setContentLength(body.length);
        ctx.response().write(body);
    }

    /** A started server with a non-blocking application; closing it stops the server without grace. */
    record InlineServer(LannerServer server) implements AutoCloseable {

        int port() {
            String address = server.features().get(ServerAddressesFeature.class).addresses().get(0);
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        }

        @Override
        public void close() throws InterruptedException {
            server.stop(Duration.ZERO);
        }
    }

    /** The application, declared non-blocking (the endpoints above never block once a body is in). */
    private record NonBlockingApplication(PipelineApplication application) implements HttpApplication<HttpContext> {

        @Override
        public HttpContext createContext(FeatureCollection features) {
            return application.createContext(features);
        }

        @Override
        public void processRequest(HttpContext context) throws Exception {
            application.processRequest(context);
        }

        @Override
        public void disposeContext(HttpContext context, Throwable error) {
            application.disposeContext(context, error);
        }

        @Override
        public boolean isNonBlocking() {
            return true;
        }
    }
}
