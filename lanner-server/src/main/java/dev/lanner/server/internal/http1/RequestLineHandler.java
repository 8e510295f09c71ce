package dev.lanner.server.internal.http1;

/**
 * Receives the parsed request line from {@link HttpRequestParser#parseRequestLine}. Called by the
 * parser on the thread that parses, the one serving the connection at the time.
 */
@FunctionalInterface
public interface RequestLineHandler {

    /**
     * Called once per request line. {@code line} is a view owned by the parser and reused for
     * the next request: read what is needed during the call.
     */
    void onRequestLine(RequestLine line);
}
