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
                                  List<ConnectionMiddleware> connectionMiddleware, TransportKind transport) {

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
    }

    public static LannerServerOptions defaults() {
        return new LannerServerOptions(ServerLimits.defaults(), true, true, List.of(), TransportKind.EVENT_LOOP);
    }

    public LannerServerOptions withLimits(ServerLimits value) {
        return new LannerServerOptions(value, addServerHeader, allowSynchronousIO, connectionMiddleware, transport);
    }

    public LannerServerOptions withAddServerHeader(boolean value) {
        return new LannerServerOptions(limits, value, allowSynchronousIO, connectionMiddleware, transport);
    }

    public LannerServerOptions withAllowSynchronousIO(boolean value) {
        return new LannerServerOptions(limits, addServerHeader, value, connectionMiddleware, transport);
    }

    public LannerServerOptions withTransport(TransportKind value) {
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, connectionMiddleware, value);
    }

    /** Adds connection middleware; the first added runs first (outermost). */
    public LannerServerOptions withConnectionMiddleware(ConnectionMiddleware middleware) {
        List<ConnectionMiddleware> list = new ArrayList<>(connectionMiddleware);
        list.add(middleware);
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, list, transport);
    }
}
