package dev.lanner.hosting.diagnostics;

import dev.lanner.http.HttpContext;

/**
 * Sees every request a {@link dev.lanner.hosting.WebApplication} handles, on any server (default,
 * platform, in process, {@code TestServer}): the hook request metrics hang on (lanner-metrics records
 * {@code http.server.active_requests} and {@code http.server.request.duration} here). Without one,
 * hosting does not read the clock for it and a request pays nothing.
 *
 * <p>Both methods run on the request's thread, {@link #requestEnded} after the response completed
 * and the {@code onCompleted} callbacks ran. Called for many requests at once: implementations must be
 * thread-safe, must not block and must not throw. The context is reused for the connection's next
 * request afterwards: keep nothing of it.
 */
public interface RequestObserver {

    /** A request begins, before any middleware. */
    void requestStarted(HttpContext context);

    /**
     * The request ended.
     *
     * @param route         the template of the endpoint that handled it ({@code /orders/{id}} style; today the
     *                      exact path given to {@code mapGet}), or {@code null} when no endpoint matched
     * @param failure       the exception that failed the request (answered 500, or cut short), or {@code null}
     * @param durationNanos from {@link #requestStarted} to now
     */
    void requestEnded(HttpContext context, String route, Throwable failure, long durationNanos);
}
