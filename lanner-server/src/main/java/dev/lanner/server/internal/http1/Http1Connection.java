package dev.lanner.server.internal.http1;

import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.core.RequestLifecycle;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One HTTP/1.x connection's lifecycle (Kestrel's {@code Http1Connection.ProcessRequests}): a
 * straight-line loop that reads a request head, runs the request through {@link RequestLifecycle},
 * and goes on with the next request while the connection persists (pipelined requests are answered
 * in order, their responses batched into one write). On a plain transport the connection's virtual
 * thread runs the loop throughout; on an {@link EventLoopConnection} the {@link Http1InlineDriver}
 * serves what cannot block inline on the event loop and hands this loop only requests that must
 * block. Started with {@link #start} instead of {@link #run}, a connection on an event loop has no
 * thread until a request must block: the driver creates it then (see
 * docs/decisions/013-idle-connections.md). The parts, each its own object: {@link Http1Input} (with the {@link DisconnectWatcher}),
 * {@link Http1Request} (the features and {@link Http1MessageBody bodies}), {@link Http1OutputProducer},
 * {@link Http1Upgrade} and {@link Http1Timeouts} (what the heartbeat checks).
 */
public final class Http1Connection {

    private static final Logger log = LoggerFactory.getLogger(Http1Connection.class);
    private static final VarHandle FINISHED;

    static {
        try {
            FINISHED = MethodHandles.lookup().findVarHandle(Http1Connection.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ServerContext server;
    final ServerLimits limits;
    final ConnectionContext context;
    final TransportConnection transport;
    final HttpApplication<Object> application;
    final String connectionId;
    final Http1Timeouts timeouts;
    final Http1Input input;
    final Http1OutputProducer output;
    final Http1Request request;
    private final Heartbeat heartbeat;
    private final HttpRequestParser parser;
    private final Http1Limits http1Limits;
    /** Serves inline on the event loop when the transport has one, else null. */
    private final Http1InlineDriver driver;
    private boolean requestLineParsed;
    /** Set once by {@link #finish}: the connection's end ran (from its thread, or from the loop without one). */
    @SuppressWarnings("unused") // through FINISHED
    private volatile boolean finished;
    /** Told once the connection ended, when it was {@link #start started} without a thread; else null. */
    private Consumer<ConnectionContext> whenEnded;

    @SuppressWarnings("unchecked")
    public Http1Connection(ServerContext server, ConnectionContext connection, HttpApplication<?> application,
                           Heartbeat heartbeat) {
        this.server = server;
        this.limits = server.options().limits();
        this.context = connection;
        this.transport = connection.transport();
        this.application = (HttpApplication<Object>) application;
        this.connectionId = connection.id();
        this.heartbeat = heartbeat;
        this.http1Limits = Http1Limits.defaults()
                .withMaxRequestLineLength(limits.maxRequestLineSize())
                .withMaxHeaderBytes(limits.maxRequestHeadersTotalSize())
                .withMaxHeaderCount(limits.maxRequestHeaderCount());
        this.parser = new HttpRequestParser(http1Limits);
        this.timeouts = new Http1Timeouts(this);
        this.input = new Http1Input(transport, limits.maxRequestLineSize() + limits.maxRequestHeadersTotalSize() + 8 * 1024);
        this.output = new Http1OutputProducer(this, timeouts.responseRate());
        this.request = new Http1Request(this);
        this.driver = transport instanceof EventLoopConnection loop ? new Http1InlineDriver(this, loop) : null;
    }

    /**
     * Serves requests until the connection ends. Never throws. On an {@link EventLoopConnection}
     * the event loop serves what it can inline and this virtual thread only takes over a request
     * that must block; on a plain transport this thread runs the blocking loop throughout.
     */
    public void run() {
        heartbeat.register(timeouts);
        if (driver != null) {
            serveUntilEnd(() -> {
                driver.attach(Thread.currentThread());
                driver.serveOnThread();
            });
        } else {
            serveUntilEnd(() -> serveBlocking(false, false));
        }
    }

    /** What a connection's thread runs until the connection ends. */
    private interface Serving {
        void serve() throws IOException;
    }

    /** Runs {@code serving} on the connection's thread, logs how it ended, then {@link #finish}es. Never throws. */
    private void serveUntilEnd(Serving serving) {
        try {
            serving.serve();
        } catch (IOException | RequestAbortedException e) {
            // The client went away or the connection was aborted: routine, not a server failure.
            ServerTrace.debug(log, connectionId, "Connection {} ended: {}", connectionId, e.toString());
        } catch (RuntimeException e) {
            log.warn("Connection {} failed", connectionId, e);
        } finally {
            finish();
        }
    }

    /**
     * Starts serving on the event loop without a thread: the loop serves inline, and the driver
     * creates the connection's virtual thread the first time a request must block. Returns at once
     * (any thread); {@code whenEnded} is told once, from the thread that ends the connection, after the
     * connection's own end ({@link #finish}). Needs an {@link EventLoopConnection}.
     */
    public void start(Consumer<ConnectionContext> whenEnded) {
        if (driver == null) {
            throw new IllegalStateException("a connection without an event loop needs a thread: use run()");
        }
        this.whenEnded = whenEnded;
        try {
            heartbeat.register(timeouts);
            driver.attach(null);
        } catch (RuntimeException | Error e) {
            ServerTrace.debug(log, connectionId, "Connection {} failed to start: {}", connectionId, e.toString());
            finish();
        }
    }

    /** The body of the virtual thread the driver creates on demand for a connection {@link #start started} without one. */
    void runOnDemandThread() {
        // Every line this thread logs is about this connection (it serves nothing else).
        MDC.put(ServerTrace.CONNECTION_ID, connectionId);
        try {
            serveUntilEnd(driver::serveOnThread);
        } finally {
            MDC.remove(ServerTrace.CONNECTION_ID);
        }
    }

    /**
     * The connection's end, once whoever ends it (its thread, or the event loop when it has none):
     * timeouts off, the request's abort signal, an upgraded stream closed, the socket closed, then
     * {@code whenEnded}.
     */
    void finish() {
        if (!FINISHED.compareAndSet(this, false, true)) {
            return;
        }
        try {
            timeouts.enter(ConnectionPhase.CLOSED);
            heartbeat.unregister(timeouts);
            request.fireAbort();
            request.closeUpgradedIfOpen();
        } catch (RuntimeException e) {
            log.warn("Connection {}: ending it failed", connectionId, e);
        } finally {
            try {
                transport.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            if (whenEnded != null) {
                whenEnded.accept(context);
            }
        }
    }

    /**
     * The blocking request loop, on the connection's virtual thread. With {@code returnWhenIdle},
     * returns true as soon as the input buffer is empty between requests (the event loop takes the
     * connection back); returns false when the connection must close. {@code requestStarted}: the
     * current request's head is already parsed (the event loop handed it over).
     */
    boolean serveBlocking(boolean returnWhenIdle, boolean requestStarted) throws IOException {
        boolean started = requestStarted;
        if (input.watcher() == null) {
            // Only a request served on this thread is watched for a disconnect (mayWatchForDisconnect).
            input.setWatcher(new DisconnectWatcher(transport, connectionId, this::abortRequest));
        }
        while (true) {
            if (!started) {
                if (returnWhenIdle && input.isEmpty() && !input.isWatcherRunning()) {
                    output.flush();
                    return true;
                }
                timeouts.enter(input.isEmpty() ? ConnectionPhase.IDLE : ConnectionPhase.HEAD);
                beginRequest();
                try {
                    if (!readHead()) {
                        endOfInput();
                        output.flush();
                        return false;
                    }
                    request.startBody();
                } catch (BadRequestException e) {
                    reject(e);
                    return false;
                }
            }
            started = false;
            process();
            if (!afterResponse()) {
                return false;
            }
        }
    }

    /** After a response on the virtual thread: whether the connection goes on. */
    private boolean afterResponse() throws IOException {
        if (request.isUpgraded()) {
            return false;
        }
        if (!request.keepAlive || request.mustClose || request.isAborted()
                // RFC 9112 §9.6: a body left unread closes the connection, after the response.
                || !request.messageBody().drain()) {
            if (!request.isAborted()) {
                // An aborted connection is cut: what is still buffered goes nowhere. Otherwise the
                // response (already sent without "Connection: close") goes out, then a half-close.
                output.flush();
                transport.shutdownOutput();
            }
            return false;
        }
        if (input.isEmpty() || output.buffered() >= Http1OutputProducer.BATCH_LIMIT) {
            // The batch of pipelined responses goes out when no request is left, or in bounded pieces.
            output.flush();
        }
        return true;
    }

    /** Forgets the previous request and response; the next head is parsed from the start. */
    void beginRequest() {
        request.reset();
        output.reset();
        timeouts.resetRates();
        DisconnectWatcher watcher = input.watcher();
        if (watcher != null) {
            watcher.requestStarted();
        }
        requestLineParsed = false;
    }

    /** Reads and parses one request head, blocking; false at end of stream (or a timeout). */
    private boolean readHead() throws IOException {
        while (true) {
            if (!input.isEmpty()) {
                if (timeouts.phase() == ConnectionPhase.IDLE) {
                    timeouts.enter(ConnectionPhase.HEAD);
                }
                if (parseHead()) {
                    return true;
                }
            }
            ConnectionPhase phase = timeouts.phase();
            if (phase == ConnectionPhase.IDLE && server.isStopping()) {
                return false;
            }
            output.flush();
            if (!input.fill(phase == ConnectionPhase.IDLE)) {
                return false;
            }
        }
    }

    /** Parses as much of a request head as the buffer holds; true when it is complete. */
    boolean parseHead() {
        if (!requestLineParsed) {
            int next = parser.parseRequestLine(input.array(), input.start(), input.end(), request);
            if (next < 0) {
                return false;
            }
            input.consumeTo(next);
            requestLineParsed = true;
        }
        input.consumeTo(parser.parseHeaders(input.array(), input.start(), input.end(), request));
        return parser.isHeaderSectionComplete();
    }

    /**
     * Runs the parsed request through the lifecycle; afterwards the request says whether the
     * connection goes on. False when the application suspended the request (only inline on the
     * loop): {@link #finishSuspended} ends it once the application completes it.
     */
    boolean process() {
        timeouts.enter(ConnectionPhase.APP);
        RequestLifecycle.Outcome outcome = RequestLifecycle.run(application, request);
        if (outcome == RequestLifecycle.Outcome.SUSPENDED) {
            return false;
        }
        ended(outcome);
        return true;
    }

    /** On the loop: the application completed its suspended request ({@code failure} null: normally). */
    void finishSuspended(Throwable failure) {
        ended(RequestLifecycle.resume(application, request, failure));
    }

    private void ended(RequestLifecycle.Outcome outcome) {
        if (outcome == RequestLifecycle.Outcome.BAD_REQUEST || outcome == RequestLifecycle.Outcome.ABORTED) {
            request.mustClose = true;
        }
        request.endLifetime();
    }

    /** The head and chunked-body limits, as the server's limits set them. */
    Http1Limits http1Limits() {
        return http1Limits;
    }

    /** The inline driver (null on the blocking transport). */
    Http1InlineDriver driver() {
        return driver;
    }

    /** The input ended before a head was complete: a timed-out head gets its 408, else nothing is owed. */
    void endOfInput() {
        TimeoutReason reason = timeouts.timedOut();
        if (reason == TimeoutReason.REQUEST_HEADERS) {
            reject(new BadRequestException(RequestRejectionReason.REQUEST_HEADERS_TIMEOUT));
        } else if (!input.isEmpty() && reason == null) {
            ServerTrace.debug(log, connectionId, "Connection {}: end of stream inside a request head", connectionId);
        }
    }

    /** Answers a rejected head (400, 413, 414, 431, 408 …) and half-closes. */
    void reject(BadRequestException e) {
        RequestRejectionReason reason = e.reason();
        server.trace().rejected(connectionId, reason.group(), reason.statusCode() + " " + reason
                + (e.detail() == null || e.detail().isEmpty() ? "" : ": " + e.detail()));
        output.writeRejection(reason.statusCode());
    }

    /** Whether a disconnect watcher may read ahead now (heartbeat): body in, blocking application, not upgraded. */
    boolean mayWatchForDisconnect() {
        // Inline on the loop the connection's buffers are the loop's: no read-ahead from another thread.
        return request.messageBody().isComplete() && !request.isUpgraded()
                && (driver == null || driver.onThread());
    }

    /** The client went away while the application ran (the disconnect watcher saw it). */
    private void abortRequest(String reason) {
        request.markAborted(reason);
    }

    /** Aborts the current request and closes the connection (timeout, failure, the application, a stop). */
    void abortConnection(String reason) {
        request.markAborted(reason);
        try {
            transport.close();
        } catch (IOException ignored) {
            // already broken
        }
    }

    /** For tests and diagnostics. */
    @Override
    public String toString() {
        return "Http1Connection[" + connectionId + ", " + timeouts.phase() + "]";
    }
}
