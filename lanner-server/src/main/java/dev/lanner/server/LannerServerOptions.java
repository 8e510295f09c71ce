package dev.lanner.server;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of the default server.
 *
 * @param limits               limits and timeouts ({@code Server:Limits})
 * @param addServerHeader      whether responses carry {@code Server: Lanner} ({@code Server:AddServerHeader}, default true)
 * @param allowSynchronousIO   the initial value of the body-control feature ({@code Server:AllowSynchronousIO}, default true:
 *                             requests run on virtual threads, where blocking is cheap)
 * @param connectionMiddleware connection-level middleware, outermost first (TLS, limits, logging)
 * @param transport            {@link TransportKind#EVENT_LOOP} (default: event loops, inline execution for
 *                             non-blocking applications) or {@link TransportKind#BLOCKING} (a virtual thread
 *                             per connection with blocking sockets) — {@code Server:Transport}
 */
public record LannerServerOptions(ServerLimits limits, boolean addServerHeader, boolean allowSynchronousIO,
                                  List<ConnectionMiddleware> connectionMiddleware, TransportKind transport,
                                  Http2Limits http2, List<EndpointOptions> endpoints, TlsDefaults tlsDefaults) {

    /**
     * Where HTTPS endpoints without a certificate of their own get one: the server's default
     * certificate ({@code Server:Certificates:Default}), else, in the Development environment, the
     * development certificate; in other environments that is a start-up error.
     *
     * @param defaultCertificate  the default certificate, or null
     * @param development         whether the application runs in the Development environment
     */
    public record TlsDefaults(dev.lanner.tls.ServerCertificateSource defaultCertificate, boolean development) {
        public static TlsDefaults none() {
            return new TlsDefaults(null, false);
        }
    }

    /** How connections are driven; see docs/decisions/001-io-model.md. */
    public enum TransportKind { EVENT_LOOP, BLOCKING }

    public LannerServerOptions {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        connectionMiddleware = List.copyOf(connectionMiddleware);
        if (transport == null) {
            transport = TransportKind.EVENT_LOOP;
        }
        if (http2 == null) {
            http2 = Http2Limits.defaults();
        }
        endpoints = List.copyOf(endpoints == null ? List.of() : endpoints);
        if (tlsDefaults == null) {
            tlsDefaults = TlsDefaults.none();
        }
    }

    public static LannerServerOptions defaults() {
        return new LannerServerOptions(ServerLimits.defaults(), true, true, List.of(), TransportKind.EVENT_LOOP,
                Http2Limits.defaults(), List.of(), TlsDefaults.none());
    }

    public LannerServerOptions withLimits(ServerLimits value) {
        return new LannerServerOptions(value, addServerHeader, allowSynchronousIO, connectionMiddleware, transport, http2, endpoints, tlsDefaults);
    }

    public LannerServerOptions withAddServerHeader(boolean value) {
        return new LannerServerOptions(limits, value, allowSynchronousIO, connectionMiddleware, transport, http2, endpoints, tlsDefaults);
    }

    public LannerServerOptions withAllowSynchronousIO(boolean value) {
        return new LannerServerOptions(limits, addServerHeader, value, connectionMiddleware, transport, http2, endpoints, tlsDefaults);
    }

    public LannerServerOptions withTransport(TransportKind value) {
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, connectionMiddleware, value, http2, endpoints, tlsDefaults);
    }

    /** Adds connection middleware; the first added runs first (outermost). */
    public LannerServerOptions withConnectionMiddleware(ConnectionMiddleware middleware) {
        List<ConnectionMiddleware> list = new ArrayList<>(connectionMiddleware);
        list.add(middleware);
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, list, transport, http2, endpoints, tlsDefaults);
    }

    public LannerServerOptions withHttp2(Http2Limits value) {
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, connectionMiddleware, transport,
                value, endpoints, tlsDefaults);
    }

    /** Adds an endpoint; once any endpoint is given, the server listens on its endpoints only. */
    public LannerServerOptions withEndpoint(EndpointOptions endpoint) {
        List<EndpointOptions> list = new ArrayList<>(endpoints);
        list.add(endpoint);
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, connectionMiddleware, transport,
                http2, list, tlsDefaults);
    }

    /** Replaces the endpoints. */
    public LannerServerOptions withEndpoints(List<EndpointOptions> value) {
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, connectionMiddleware, transport,
                http2, value, tlsDefaults);
    }

    public LannerServerOptions withTlsDefaults(TlsDefaults value) {
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, connectionMiddleware, transport,
                http2, endpoints, value);
    }
}
