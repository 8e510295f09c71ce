package dev.lanner.http.server.core;

import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.server.HttpApplication;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * The one request lifecycle every server runs (Kestrel's {@code HttpProtocol.ProcessRequests}): create
 * the context, run the application, complete the response, turn a failure into the right answer
 * (500 or the {@link BadHttpRequestException}'s status before the head went out; a cut exchange after),
 * fire the {@code onCompleted} callbacks, dispose the context. Stateless: it runs on the thread that
 * runs the application, for whichever {@link ServerExchange} it is given.
 */
public final class RequestLifecycle {

    /** How a request ended, which tells the protocol whether its connection or stream can go on. */
    public enum Outcome {
        /** The application returned and the response is complete. */
        COMPLETED,
        /** The application failed before the head went out; the server answered 500. */
        ERROR_RESPONSE,
        /** The request was bad ({@link BadHttpRequestException}); the server answered its status. */
        BAD_REQUEST,
        /** The exchange was aborted or cut: the connection (HTTP/1.x) or stream (HTTP/2) cannot go on. */
        ABORTED,
        /**
         * The application suspended the request ({@code HttpRequestSuspensionFeature}): nothing is
         * finished yet; the server's {@link RequestSuspension.Resumer} calls {@link #resume} later.
         */
        SUSPENDED
    }

    private RequestLifecycle() {
    }

    /** Runs one request through {@code application}. Never throws what the application throws. */
    public static <C> Outcome run(HttpApplication<C> application, ServerExchange exchange) {
        C context = null;
        Throwable failure = null;
        Outcome outcome;
        try {
            context = application.createContext(exchange.features());
            application.processRequest(context);
            RequestSuspension suspension = exchange.suspension();
            if (suspension != null && suspension.suspended()) {
                if (suspension.park(context)) {
                    return Outcome.SUSPENDED;
                }
                if (suspension.earlyFailure() != null) {
                    throw suspension.earlyFailure();
                }
            }
            outcome = complete(exchange);
        } catch (Throwable t) {
            failure = t;
            outcome = answerFailure(exchange, t);
        }
        return finish(application, exchange, context, failure, outcome);
    }

    /**
     * Finishes a request its application suspended and then completed with {@code failure} (null:
     * it finished normally), as {@link #run} finishes any other: on the thread the server chooses.
     */
    @SuppressWarnings("unchecked")
    public static <C> Outcome resume(HttpApplication<C> application, ServerExchange exchange, Throwable failure) {
        C context = (C) exchange.suspension().context();
        Outcome outcome;
        if (failure == null) {
            try {
                outcome = complete(exchange);
            } catch (Throwable t) {
                failure = t;
                outcome = answerFailure(exchange, t);
            }
        } else {
            outcome = answerFailure(exchange, failure);
        }
        return finish(application, exchange, context, failure, outcome);
    }

    /** The application returned normally: the response is completed unless the exchange was aborted. */
    private static Outcome complete(ServerExchange exchange) throws IOException {
        if (exchange.isAborted()) {
            return Outcome.ABORTED;
        }
        exchange.completeResponse();
        return Outcome.COMPLETED;
    }

    private static <C> Outcome finish(HttpApplication<C> application, ServerExchange exchange, C context,
                                      Throwable failure, Outcome outcome) {
        exchange.applicationFinished(failure);
        Exception callbackFailure = exchange.callbacks().fireOnCompleted();
        if (callbackFailure != null) {
            exchange.log(Level.WARNING, "An onCompleted callback failed on " + exchange.describe(), callbackFailure);
        }
        if (context != null) {
            try {
                application.disposeContext(context, failure);
            } catch (RuntimeException e) {
                exchange.log(Level.WARNING, "disposeContext failed on " + exchange.describe(), e);
            }
        }
        return outcome;
    }

    private static Outcome answerFailure(ServerExchange exchange, Throwable t) {
        if (exchange.isAborted() || t instanceof RequestAbortedException) {
            return Outcome.ABORTED;
        }
        BadHttpRequestException bad = t instanceof BadHttpRequestException b ? b : null;
        if (exchange.hasStarted()) {
            // The head is out: the only honest signal left is to cut the exchange.
            if (bad != null) {
                // Still the client's fault (a body too slow, a bad chunk) when the application streams its
                // response while reading: no stack trace, or a slow client writes one into the log per connection.
                exchange.log(Level.DEBUG, "Bad request on " + exchange.describe() + " after the response started; aborting: "
                        + t.getMessage(), null);
            } else {
                exchange.log(Level.ERROR, "Request failed on " + exchange.describe() + " after the response started; aborting", t);
            }
            exchange.abortAfterFailure("application failure after the response started");
            return Outcome.ABORTED;
        }
        if (bad != null) {
            // The client's fault (413, a bad chunk): not worth a stack trace per request.
            exchange.log(Level.DEBUG, "Bad request on " + exchange.describe() + ": " + t.getMessage(), null);
        } else {
            exchange.log(Level.ERROR, "Request failed on " + exchange.describe() + " before the response started", t);
        }
        exchange.resetResponseForError(bad != null ? bad.statusCode() : 500);
        try {
            exchange.completeResponse();
        } catch (IOException | RuntimeException e) {
            exchange.abortAfterFailure("the error response could not be sent: " + e);
            return Outcome.ABORTED;
        }
        return bad != null ? Outcome.BAD_REQUEST : Outcome.ERROR_RESPONSE;
    }
}
