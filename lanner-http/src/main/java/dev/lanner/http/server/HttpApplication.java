package dev.lanner.http.server;

import dev.lanner.http.features.FeatureCollection;

/**
 * What a server calls for every request: create a context from the request's features, process
 * it, dispose of it. {@code C} is the application's own per-request state.
 */
public interface HttpApplication<C> {

    C createContext(FeatureCollection features);

    /** Runs the application for the request. May block (requests run on virtual threads). */
    void processRequest(C context) throws Exception;

    /** Called once per context, after the response was sent or the request failed ({@code error} non-null). */
    void disposeContext(C context, Throwable error);

    /**
     * Whether {@link #processRequest} completes without blocking once the request body has been
     * received, so that a server may run it inline on an I/O thread instead of handing it to a
     * virtual thread. Servers still use a virtual thread for requests that would have to wait
     * (a body not yet received, an upgrade). Default {@code false}: blocking is allowed.
     */
    default boolean isNonBlocking() {
        return false;
    }
}
