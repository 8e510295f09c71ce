package dev.lanner.hosting.internal;

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

/**
 * The bridge between a server and an application's pipeline: builds the {@link HttpContext},
 * runs the pipeline, turns an unhandled exception into a 500 (with the developer exception page
 * in {@code Development}), and writes the one-line request log.
 */
public final class HostingApplication implements HttpApplication<HostingApplication.RequestState> {

    private static final Logger log = LoggerFactory.getLogger(HostingApplication.class);
    private static final Logger requestLog = LoggerFactory.getLogger("dev.lanner.hosting.RequestLog");

    /** Per-request state: the context and when it began. */
    public static final class RequestState {
        private final HttpContext context;
        private long startNanos;

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
        long start = logRequests ? System.nanoTime() : 0L;
        HostContextContainer container = features.get(HostContextContainer.class);
        if (container == null) {
            return new RequestState(new HttpContext(features), start);
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

    @Override
    public void processRequest(RequestState state) throws Exception {
        HttpContext context = state.context;
        try {
            applyTraceContext(context);
            if (first != null) {
                first.accept(context);
            }
            pipeline.invoke(context);
        } catch (RequestAbortedException aborted) {
            log.debug("Request {} aborted: {}", context.request(), aborted.getMessage());
            throw aborted;
        } catch (BadHttpRequestException bad) {
            // The client's fault, found while reading its body: answer with the server's status, not 500.
            log.debug("Bad request {}: {}", context.request(), bad.getMessage());
            HttpResponse response = context.response();
            if (response.hasStarted()) {
                throw bad;
            }
            response.headers().clear();
            response.setStatusCode(bad.statusCode());
            response.setContentLength(0);
        } catch (Exception | Error e) {
            HttpResponse response = context.response();
            if (response.hasStarted()) {
                // Too late for an error response: the server aborts the connection so the client sees a failure.
                log.error("Unhandled exception after the response started: {}", context.request(), e);
                throw e;
            }
            log.error("Unhandled exception while processing {}", context.request(), e);
            writeErrorResponse(context, e);
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
        if (!logRequests || !requestLog.isInfoEnabled()) {
            return;
        }
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
