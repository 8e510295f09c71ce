package dev.lanner.http.server;

import dev.lanner.http.features.FeatureCollection;
import java.time.Duration;

/**
 * An HTTP server implementation. It accepts requests, builds each one's features and drives an
 * {@link HttpApplication}; it knows nothing about middleware. Its own {@link #features()} always
 * hold a {@link dev.lanner.http.features.ServerAddressesFeature}: the host writes the configured
 * URLs there before {@link #start}, the server reports the bound addresses there after.
 */
public interface Server extends AutoCloseable {

    /** The server's features; holds at least the {@code ServerAddressesFeature}. */
    FeatureCollection features();

    /** Binds and starts serving; returns once the server is listening. */
    <C> void start(HttpApplication<C> application) throws Exception;

    /**
     * Stops accepting, lets in-flight requests finish for up to {@code gracePeriod}, then aborts the
     * rest. Returns when every connection is closed. Calling it again is harmless.
     */
    void stop(Duration gracePeriod) throws Exception;

    /** The URL a server listens on when nothing is configured. */
    String DEFAULT_URL = "http://localhost:5000";

    /** Stops without a grace period. */
    @Override
    default void close() throws Exception {
        stop(Duration.ZERO);
    }
}
