package dev.lanner.hosting.internal;

import dev.lanner.hosting.diagnostics.RequestObserver;
import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpResponse;
import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.TraceContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HostContextContainer;
import dev.lanner.http.features.HttpRequestIdentifierFeature;
import dev.lanner.http.server.HttpApplication;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The bridge between a server and an application's pipeline: builds the {@link HttpContext},
 * runs the pipeline, turns an unhandled exception into a 500 (with the developer exception page
 * in {@code Development}), writes the one-line request log, and tells a {@link RequestObserver} (metrics)
 * when each request starts and ends. With a request scope, the request's ids are in the SLF4J MDC
 * ({@value #REQUEST_ID}, {@value #CONNECTION_ID}) for every line logged while the pipeline runs; hosting's
 * own lines about a request carry them either way.
 */
public final class HostingApplication implements HttpApplication<HostingApplication.RequestState> {

    private static final Logger log = LoggerFactory.getLogger(HostingApplication.class);
    private static final Logger requestLog = LoggerFactory.getLogger("dev.lanner.hosting.RequestLog");

    /** The MDC key of the request's trace identifier (ASP.NET Core's name). */
    public static final String REQUEST_ID = "RequestId";
    /** The MDC key of the connection's id (Kestrel's name; the default server uses it too). */
    public static final String CONNECTION_ID = "ConnectionId";

    /** Per-request state: the context and when it began. */
    public static final class RequestState {
        private final HttpContext context;
        private long startNanos;
        /** When the observer was told the request started. */
        private long observedStartNanos;
        /** The matched endpoint's template, or null. */
        private String route;
        /** The exception the pipeline threw, or null. */
        private Throwable failure;
        /** Which ids this request put in the MDC (and must take out). */
        private boolean putRequestId;
        private String previousConnectionId;
        private boolean putConnectionId;

        RequestState(HttpContext context, long startNanos) {
            this.context = context;
            this.startNanos = startNanos;
        }

        public HttpContext context() {
            return context;
        }

        /** When the request began, for its log line ({@code System.nanoTime()}; 0 when its host does not log). */
        long startNanos() {
            return startNanos;
        }
    }

    private final RequestDelegate pipeline;
    private final boolean developmentErrors;
    private final boolean logRequests;

    private final boolean nonBlocking;
    /** A step applied to every request before the pipeline (forwarded headers), or null. */
    private final Consumer<HttpContext> first;
    /** Told when each request starts and ends (metrics), or null. */
    private final RequestObserver observer;
    /** Whether the request's ids are in the MDC while the pipeline runs. */
    private final boolean requestScope;

    public HostingApplication(RequestDelegate pipeline, boolean developmentErrors, boolean logRequests) {
        this(pipeline, developmentErrors, logRequests, false, null);
    }

    public HostingApplication(RequestDelegate pipeline, boolean developmentErrors, boolean logRequests,
                              boolean nonBlocking) {
        this(pipeline, developmentErrors, logRequests, nonBlocking, null);
    }

    /**
     * @param first applied to each request before {@code pipeline}, as a direct call rather than one
     *              more middleware layer (the forwarded headers: measured, a wrapping lambda cost the
     *              plaintext request about 0.6 µs, a direct call nothing measurable)
     */
    public HostingApplication(RequestDelegate pipeline, boolean developmentErrors, boolean logRequests,
                              boolean nonBlocking, Consumer<HttpContext> first) {
        this(pipeline, developmentErrors, logRequests, nonBlocking, first, null, false);
    }

    /**
     * @param observer     told when each request starts and ends, or null
     * @param requestScope put {@value #REQUEST_ID} and {@value #CONNECTION_ID} in the MDC while the pipeline runs,
     *                     so that the application's own log lines carry them ({@code Logging:RequestScope})
     */
    public HostingApplication(RequestDelegate pipeline, boolean developmentErrors, boolean logRequests,
                              boolean nonBlocking, Consumer<HttpContext> first, RequestObserver observer,
                              boolean requestScope) {
        this.observer = observer;
        this.requestScope = requestScope;
        this.pipeline = pipeline;
        this.developmentErrors = developmentErrors;
        this.logRequests = logRequests;
        this.nonBlocking = nonBlocking;
        this.first = first;
    }

    @Override
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    @Override
    public RequestState createContext(FeatureCollection features) {
        RequestState state = stateFor(features);
        if (observer != null) {
            state.route = null;
            state.failure = null;
            state.observedStartNanos = System.nanoTime();
            observer.requestStarted(state.context);
        }
        return state;
    }

    private RequestState stateFor(FeatureCollection features) {
        long start = logRequests ? System.nanoTime() : 0L;
        HostContextContainer container = features.get(HostContextContainer.class);
        if (container == null) {
            RequestState state = new RequestState(new HttpContext(features), start);
            if (observer != null) {
                // Where the route table finds the state to leave the matched route in (platform server, TestServer).
                features.set(RequestState.class, state);
            }
            return state;
        }
        // The connection's previous request is over: its context (whose feature cache revalidates
        // against the collection's revision) serves the next one, so a request allocates none.
        if (container.hostContext() instanceof RequestState previous && previous.context.features() == features) {
            // Only a host that logs times the request: an in-process application's hosting reuses the module's
            // state of this same request, and must not reset the start the module's request log reads.
            if (logRequests) {
                previous.startNanos = start;
            }
            return previous;
        }
        RequestState state = new RequestState(new HttpContext(features), start);
        container.setHostContext(state);
        return state;
    }

    /**
     * Leaves the template of the endpoint that matched {@code context}'s request for the observer
     * ({@code http.route}); the route table calls it when an observer is present.
     */
    public static void recordRoute(HttpContext context, String route) {
        HostContextContainer container = context.features().get(HostContextContainer.class);
        RequestState state = container != null && container.hostContext() instanceof RequestState s && s.context == context
                ? s : context.features().get(RequestState.class);
        if (state != null) {
            state.route = route;
        }
    }

    @Override
    public void processRequest(RequestState state) throws Exception {
        // First, so that the request's id in the MDC is the caller's trace's when it sent a traceparent.
        applyTraceContext(state.context);
        if (requestScope) {
            enterScope(state);
        }
        try {
            process(state);
        } finally {
            if (requestScope) {
                exitScope(state);
            }
        }
    }

    private void process(RequestState state) throws Exception {
        HttpContext context = state.context;
        try {
            if (first != null) {
                first.accept(context);
            }
            pipeline.invoke(context);
        } catch (RequestAbortedException aborted) {
            state.failure = aborted;
            if (log.isDebugEnabled()) {
                logInScope(state, () -> log.debug("Request {} aborted: {}", context.request(), aborted.getMessage()));
            }
            throw aborted;
        } catch (BadHttpRequestException bad) {
            // The client's fault, found while reading its body: answer with the server's status, not 500. The
            // server logged the rejection at debug with its reason; this line is for other servers' rejections.
            if (log.isTraceEnabled()) {
                logInScope(state, () -> log.trace("Bad request {}: {}", context.request(), bad.getMessage()));
            }
            HttpResponse response = context.response();
            if (response.hasStarted()) {
                throw bad;
            }
            response.headers().clear();
            response.setStatusCode(bad.statusCode());
            response.setContentLength(0);
        } catch (Exception | Error e) {
            state.failure = e;
            HttpResponse response = context.response();
            if (response.hasStarted()) {
                // Too late for an error response: the server aborts the connection so the client sees a failure.
                logInScope(state, () -> log.error("Unhandled exception after the response started: {}", context.request(), e));
                throw e;
            }
            logInScope(state, () -> log.error("Unhandled exception while processing {}", context.request(), e));
            writeErrorResponse(context, e);
        }
    }

    /** Puts the request's ids in the MDC; the connection's id may be there already (its thread's). */
    private static void enterScope(RequestState state) {
        HttpContext context = state.context;
        state.putRequestId = MDC.get(REQUEST_ID) == null;
        if (state.putRequestId) {
            MDC.put(REQUEST_ID, context.traceIdentifier());
        }
        String connectionId = context.connection().id();
        String previous = MDC.get(CONNECTION_ID);
        state.putConnectionId = connectionId != null && !connectionId.equals(previous);
        if (state.putConnectionId) {
            state.previousConnectionId = previous;
            MDC.put(CONNECTION_ID, connectionId);
        }
    }

    private static void exitScope(RequestState state) {
        if (state.putRequestId) {
            MDC.remove(REQUEST_ID);
            state.putRequestId = false;
        }
        if (state.putConnectionId) {
            if (state.previousConnectionId == null) {
                MDC.remove(CONNECTION_ID);
            } else {
                MDC.put(CONNECTION_ID, state.previousConnectionId);
            }
            state.putConnectionId = false;
            state.previousConnectionId = null;
        }
    }

    /** Hosting's own line about a request carries the request's ids, with or without the request scope. */
    private void logInScope(RequestState state, Runnable line) {
        if (requestScope) {
            line.run(); // the scope is open
            return;
        }
        enterScope(state);
        try {
            line.run();
        } finally {
            exitScope(state);
        }
    }

    private void writeErrorResponse(HttpContext context, Throwable error) throws Exception {
        HttpResponse response = context.response();
        response.headers().clear();
        response.setStatusCode(500);
        if (developmentErrors) {
            byte[] page = DeveloperExceptionPage.render(context, error).getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/html; charset=utf-8");
            response.setContentLength(page.length);
            response.write(page);
        } else {
            response.setContentLength(0);
        }
    }

    /**
     * A valid W3C {@code traceparent} makes the request part of the caller's trace: its trace context
     * is a request feature and its trace identifier is {@code <trace id>:<parent span id>}, so log lines
     * of one trace share the trace id across services. Both last this request only.
     */
    static void applyTraceContext(HttpContext context) {
        var headers = context.request().headers();
        String traceparent = headers.get(TraceContext.TRACEPARENT);
        if (traceparent == null) {
            return;
        }
        TraceContext trace = TraceContext.parse(traceparent, headers.get(TraceContext.TRACESTATE));
        if (trace == null) {
            log.debug("Ignored an invalid traceparent field: {}", traceparent);
            return;
        }
        context.features().set(TraceContext.class, trace);
        String id = trace.traceId() + ":" + trace.parentId();
        context.features().set(HttpRequestIdentifierFeature.class, new HttpRequestIdentifierFeature() {
            private String identifier = id;

            @Override
            public String traceIdentifier() {
                return identifier;
            }

            @Override
            public void setTraceIdentifier(String value) {
                identifier = value;
            }
        });
    }

    /** {@code micros} as milliseconds with three decimals ({@code 12.469}), as {@code %.3f} would write them. */
    static StringBuilder appendMillis(StringBuilder line, long micros) {
        long value = Math.max(0, micros);
        long fraction = value % 1_000;
        line.append(value / 1_000).append('.');
        if (fraction < 100) {
            line.append('0');
        }
        if (fraction < 10) {
            line.append('0');
        }
        return line.append(fraction);
    }

    @Override
    public void disposeContext(RequestState state, Throwable error) {
        if (observer != null) {
            observer.requestEnded(state.context, state.route, error != null ? error : state.failure,
                    System.nanoTime() - state.observedStartNanos);
        }
        if (!logRequests || !requestLog.isInfoEnabled()) {
            return;
        }
        logInScope(state, () -> writeRequestLog(state, error));
    }

    private void writeRequestLog(RequestState state, Throwable error) {
        HttpContext context = state.context;
        long micros = (System.nanoTime() - state.startNanos + 500) / 1_000;
        var request = context.request();
        // One string built directly: String.format and SLF4J's placeholder parsing cost more than the rest of a
        // small request's logging (measured with the request log on, plaintext).
        StringBuilder line = new StringBuilder(96).append(request.method()).append(' ')
                .append(request.pathBase()).append(request.path()).append(request.queryString()).append(' ')
                .append(request.protocol()).append(' ');
        if (error == null) {
            line.append(context.response().statusCode());
        } else {
            line.append("aborted (").append(error).append(')');
        }
        line.append(' ');
        appendMillis(line, micros).append(" ms");
        requestLog.info(line.toString());
    }
}
