package dev.lanner.http.features;

import java.util.List;

/**
 * The addresses a server listens on. Before start, the host puts the configured URLs here; after
 * start, the server replaces them with the addresses it actually bound (port 0 resolved).
 */
public interface ServerAddressesFeature {
    /** The mutable list of addresses, e.g. {@code http://127.0.0.1:5000}. */
    List<String> addresses();

    /** When true the server uses {@link #addresses()} over its own endpoint configuration. */
    boolean preferHostingUrls();
    void setPreferHostingUrls(boolean prefer);
}
