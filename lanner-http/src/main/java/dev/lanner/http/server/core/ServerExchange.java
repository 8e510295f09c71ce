package dev.lanner.http.server.core;

import dev.lanner.http.features.FeatureCollection;
import java.io.IOException;

/**
 * What a protocol supplies for one request so that {@link RequestLifecycle} can run it: the request's
 * features, its response state, and the protocol's way to finish or cut the exchange. HTTP/1.1's
 * connection, an HTTP/2 stream, the platform server's exchange, {@code TestServer} and custom servers
 * each implement it once; the lifecycle itself is written once. All methods are called on the thread
 * that runs the application.
 */
public interface ServerExchange {

    /** The request's features, handed to {@code HttpApplication.createContext}. */
    FeatureCollection features();

    /** The response head has gone out (nothing about status or headers can change any more). */
    boolean hasStarted();

    /** The request was aborted: by the application, the client, a timeout or the server stopping. */
    boolean isAborted();

    /** The callbacks registered on the response; the lifecycle fires {@code onCompleted}. */
    ResponseCallbacks callbacks();

    /**
     * Ends the response normally: the head if it has not gone out (with an automatic Content-Length
     * when the body is all buffered), the rest of the body, the trailers.
     */
    void completeResponse() throws IOException;

    /**
     * Throws away the response the application built (status, reason, headers, trailers, buffered body)
     * and makes it an empty response with {@code status}; called only before the head went out.
     */
    void resetResponseForError(int status);

    /**
     * Cuts the exchange: the application failed after the head went out, or the error response could
     * not be written. HTTP/1.x closes the connection, HTTP/2 resets the stream.
     */
    void abortAfterFailure(String reason);

    /**
     * Called once the application is done with the request, before the {@code onCompleted} callbacks
     * run; {@code failure} is what it threw (or null).
     */
    default void applicationFinished(Throwable failure) {
    }

    /** Where the lifecycle reports failures; servers route it to their logger. */
    default void log(System.Logger.Level level, String message, Throwable failure) {
        System.getLogger(RequestLifecycle.class.getName()).log(level, message, failure);
    }

    /** Names the exchange in log lines ("connection 0HN…", "connection 0HN… stream 3"). */
    String describe();

    /**
     * The request's suspension when the server offers {@code HttpRequestSuspensionFeature} for it,
     * else null (the application must finish within {@code processRequest}).
     */
    default RequestSuspension suspension() {
        return null;
    }
}
