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
 */
public record LannerServerOptions(ServerLimits limits, boolean addServerHeader, boolean allowSynchronousIO,
                                  List<ConnectionMiddleware> connectionMiddleware) {

    public LannerServerOptions {
        if (limits == null) {
            throw new IllegalArgumentException("limits must not be null");
        }
        connectionMiddleware = List.copyOf(connectionMiddleware);
    }

    public static LannerServerOptions defaults() {
        return new LannerServerOptions(ServerLimits.defaults(), true, true, List.of());
    }

    public LannerServerOptions withLimits(ServerLimits value) {
        return new LannerServerOptions(value, addServerHeader, allowSynchronousIO, connectionMiddleware);
    }

    public LannerServerOptions withAddServerHeader(boolean value) {
        return new LannerServerOptions(limits, value, allowSynchronousIO, connectionMiddleware);
    }

    public LannerServerOptions withAllowSynchronousIO(boolean value) {
        return new LannerServerOptions(limits, addServerHeader, value, connectionMiddleware);
    }

    /** Adds connection middleware; the first added runs first (outermost). */
    public LannerServerOptions withConnectionMiddleware(ConnectionMiddleware middleware) {
        List<ConnectionMiddleware> list = new ArrayList<>(connectionMiddleware);
        list.add(middleware);
        return new LannerServerOptions(limits, addServerHeader, allowSynchronousIO, list);
    }
}
