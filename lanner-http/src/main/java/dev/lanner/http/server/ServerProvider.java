package dev.lanner.http.server;

/**
 * Makes a server implementation available by name through {@link java.util.ServiceLoader}
 * ({@code default}, {@code platform}, ...). Hosting picks one by the {@code server} setting.
 */
public interface ServerProvider {

    /** The name selected by the {@code server} setting. */
    String name();

    /** Creates an unstarted server configured from {@code settings}. */
    Server create(ServerSettings settings);
}
