package dev.lanner.http.features;

import java.io.IOException;

/** HTTP/1.1 upgrade ({@code Connection: upgrade}, RFC 9110 §7.8). */
public interface HttpUpgradeFeature {
    /** Whether the request asked for an upgrade and the connection can be handed over. */
    boolean isUpgradableRequest();

    /**
     * Sends {@code 101 Switching Protocols} with the response headers set so far and hands the
     * connection's raw streams to the caller.
     */
    UpgradedConnection upgrade() throws IOException;
}
