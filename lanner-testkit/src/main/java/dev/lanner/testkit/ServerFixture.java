package dev.lanner.testkit;

import dev.lanner.http.server.Server;

/**
 * What the kit needs to know about one {@link Server} implementation: how to make one that listens
 * on a free loopback port, how to talk to it once started, and the few ways servers may legitimately
 * differ (each listed in {@code docs/servers.md}).
 */
public interface ServerFixture {

    /** A new, unstarted server. The kit puts {@link #listenUrl()} in its addresses before starting it. */
    Server create();

    /** The address the kit asks the server to listen on. */
    default String listenUrl() {
        return "http://127.0.0.1:0";
    }

    /** A client for a started server; the default speaks HTTP/1.1 over a socket to its first bound address. */
    default KitClient client(Server started) {
        return KitClient.http(KitClient.firstAddress(started));
    }

    /**
     * True when an exception the application lets escape reaches the caller instead of turning into a
     * 500 (the in-memory TestServer does this, so that a test sees the application's own exception).
     */
    default boolean surfacesApplicationExceptions() {
        return false;
    }

    /** True when requests arrive over IP sockets, so the connection feature has addresses and ports. */
    default boolean hasIpTransport() {
        return true;
    }

    /**
     * A new, unstarted server whose own configuration (endpoints, URL prefixes) names {@code url}, for
     * the {@code PreferHostingUrls} rule; null for a server that has no addresses of its own.
     */
    default Server createWithOwnUrl(String url) {
        return null;
    }

    /**
     * Whether the server enforces {@code HttpMinResponseDataRateFeature}; one that does not must refuse
     * the setting loudly (no feature, or {@link UnsupportedOperationException}), never ignore it.
     */
    default boolean enforcesMinResponseDataRate() {
        return true;
    }
}
