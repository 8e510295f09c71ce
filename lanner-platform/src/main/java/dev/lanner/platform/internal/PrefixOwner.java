package dev.lanner.platform.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.lanner.platform.UrlPrefix;
import java.io.IOException;

/** An application registered for URL prefixes: the registry routes each matching request to it. */
public interface PrefixOwner {

    /** A name for error messages ("... is already registered by {name}"). */
    String name();

    /**
     * Serves one request routed to {@code prefix}. Returns normally when the exchange is finished
     * and the connection may be kept; throws to have the JDK server close the connection.
     *
     * @param decodedPath the request path, percent-decoded
     */
    void serve(HttpExchange exchange, UrlPrefix prefix, String decodedPath) throws IOException;
}
