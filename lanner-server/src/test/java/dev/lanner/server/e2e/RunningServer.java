package dev.lanner.server.e2e;

import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerLimits;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** A started {@link LannerServer} on a free loopback port; closing it stops the server without grace. */
public final class RunningServer implements AutoCloseable {

    private final LannerServer server;
    private final PipelineApplication application;

    private RunningServer(LannerServer server, PipelineApplication application) {
        this.server = server;
        this.application = application;
    }

    public static RunningServer start(RequestDelegate app) throws IOException {
        return start(LannerServerOptions.defaults(), app);
    }

    public static RunningServer start(ServerLimits limits, RequestDelegate app) throws IOException {
        return start(LannerServerOptions.defaults().withLimits(limits), app);
    }

    public static RunningServer start(ServerLimits limits, PipelineApplication app) throws IOException {
        return start(LannerServerOptions.defaults().withLimits(limits), app, "http://127.0.0.1:0");
    }

    public static RunningServer start(LannerServerOptions options, RequestDelegate app) throws IOException {
        return start(options, new PipelineApplication(app), "http://127.0.0.1:0");
    }

    public static RunningServer start(PipelineApplication app) throws IOException {
        return start(LannerServerOptions.defaults(), app, "http://127.0.0.1:0");
    }

    public static RunningServer start(LannerServerOptions options, PipelineApplication app, String url)
            throws IOException {
        // The same suites run on each transport (see the surefire executions in lanner-server/pom.xml).
        if ("blocking".equals(System.getProperty("lanner.test.transport"))) {
            options = options.withTransport(LannerServerOptions.TransportKind.BLOCKING);
        }
        LannerServer server = new LannerServer(options);
        server.features().get(ServerAddressesFeature.class).addresses().add(url);
        server.start(app);
        return new RunningServer(server, app);
    }

    public LannerServer server() {
        return server;
    }

    public PipelineApplication application() {
        return application;
    }

    /** The addresses the server reports as bound. */
    public List<String> addresses() {
        return server.features().get(ServerAddressesFeature.class).addresses();
    }

    /** The port of the first bound address. */
    public int port() {
        String address = addresses().get(0);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    public RawConnection connect() throws IOException {
        return RawConnection.open("127.0.0.1", port());
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
