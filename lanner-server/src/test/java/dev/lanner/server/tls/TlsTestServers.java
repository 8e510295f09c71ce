package dev.lanner.server.tls;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.e2e.PipelineApplication;
import dev.lanner.server.e2e.RunningServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Starts a server behind {@link TlsConnectionMiddleware} with the test endpoints below. */
final class TlsTestServers {

    private TlsTestServers() {
    }

    static RunningServer start(TlsOptions options) throws IOException {
        return start(options, LannerServerOptions.TransportKind.EVENT_LOOP);
    }

    /**
     * <ul>
     *   <li>{@code /info}: {@code protocol|cipher suite|ALPN|client certificate subject|SNI name|scheme}</li>
     *   <li>{@code /echo}: the request body</li>
     *   <li>{@code /bytes?n=N}: N bytes of {@link #pattern}</li>
     * </ul>
     */
    static RunningServer start(TlsOptions options, LannerServerOptions.TransportKind transport) throws IOException {
        LannerServerOptions serverOptions = LannerServerOptions.defaults()
                .withTransport(transport)
                .withConnectionMiddleware(new TlsConnectionMiddleware(options));
        PipelineApplication application = PipelineApplication.build(app -> app
                .map("/info", b -> b.run(TlsTestServers::info))
                .map("/echo", b -> b.run(ctx -> respond(ctx, ctx.request().readAllBytes())))
                .map("/bytes", b -> b.run(ctx -> respond(ctx, pattern(Integer.parseInt(ctx.request().query("n")))))));
        return RunningServer.start(serverOptions, application, "http://127.0.0.1:0");
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

    /** Bytes that show any loss, duplication or reordering: each position holds a different run. */
    static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 8));
        }
        return bytes;
    }
}
