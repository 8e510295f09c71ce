package dev.lanner.server.internal.http1;

import dev.lanner.server.EventLoopRequestFeature;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.ReadinessListener;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, per request, where an HTTP/1.x connection on an event loop is served (Jetty's
 * {@code InvocationType}): inline on the event loop thread when nothing can block (a non-blocking
 * application and the whole body in the buffer), after collecting a small body on the loop, or on
 * the connection's virtual thread, which parks until it is handed a request and gives the connection
 * back once it idles. While a readiness callback serves, the input and output use the loop's buffers
 * ({@link Http1Input#lendLoopBuffer}, {@link Http1OutputProducer#lendLoopBuffer}), taken back before
 * the loop moves on or the virtual thread takes over. The readiness callbacks run on the event loop
 * thread; {@link #serveOnThread} on the connection's virtual thread. {@link #mode} says which of the
 * two owns the connection. A connection started without a thread ({@link Http1Connection#start}) gets
 * one from {@link #dispatch} the first time a request must block; until then the loop also ends it.
 */
final class Http1InlineDriver implements ReadinessListener {

    /** Who serves the connection now. */
    enum Mode {
        /** The event loop, inline; the virtual thread is parked. */
        LOOP,
        /** The connection's virtual thread (the loop ignores readiness). */
        THREAD,
        /** The connection ended. */
        CLOSED
    }

    /** Where the loop is within the current request. */
    private enum Step {
        /** Between requests: the next bytes start a head. */
        NEXT_REQUEST,
        /** Part of a head is parsed; the rest is awaited. */
        PARTIAL_HEAD,
        /** The head is parsed; a small body is collected before the application runs inline. */
        COLLECTING_BODY,
        /** The connection closes once the output is flushed. */
        CLOSE_AFTER_FLUSH,
        /** The application suspended the request; {@link #resume} continues once it completes it. */
        AWAITING_APPLICATION
    }

    /** How the current request can run, as the application and the buffered body allow. */
    private enum Invocation {
        /** Inline now: nothing it does can block. */
        NON_BLOCKING,
        /** Inline once the rest of a small body arrived. */
        NON_BLOCKING_AFTER_BODY,
        /** On the connection's virtual thread. */
        BLOCKING
    }

    private static final Logger log = LoggerFactory.getLogger(Http1InlineDriver.class);
    /** A body up to this size is collected on the loop so that a non-blocking application still runs inline. */
    private static final int INLINE_BODY_LIMIT = 64 * 1024;
    private static final VarHandle MODE;

    static {
        try {
            MODE = MethodHandles.lookup().findVarHandle(Http1InlineDriver.class, "mode", Mode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Http1Connection connection;
    private final EventLoopConnection loop;
    private final Http1Input input;
    private final Http1OutputProducer output;
    private volatile Mode mode = Mode.LOOP;
    /** The connection's virtual thread; null until one is needed when the connection started without it. */
    private Thread connectionThread;
    private Step step = Step.NEXT_REQUEST;
    private final LoopFeature loopFeature = new LoopFeature();
    /** What runs once waiting response bytes went out, while the application holds the request. */
    private Runnable whenDrained;

    Http1InlineDriver(Http1Connection connection, EventLoopConnection loop) {
        this.connection = connection;
        this.loop = loop;
        this.input = connection.input;
        this.output = connection.output;
    }

    /** Whether the connection has a virtual thread (always when started with one; else once a request had to block). */
    boolean hasThread() {
        return connectionThread != null;
    }

    /** Whether the connection's virtual thread serves it now (else the loop does, or it ended). */
    boolean onThread() {
        return mode == Mode.THREAD;
    }

    /**
     * Takes the loop's readiness and arms reading, the connection idle; {@code thread} is the
     * connection's virtual thread, or null when the loop serves without one until a request must block.
     */
    void attach(Thread thread) {
        connectionThread = thread;
        loop.setListener(this);
        connection.timeouts.enter(ConnectionPhase.IDLE);
        loop.armRead();
    }

    /**
     * On the connection's virtual thread: parks until the loop hands it a request that must block,
     * serves until the connection idles, gives it back; returns when the connection ends.
     */
    void serveOnThread() throws IOException {
        while (true) {
            while (mode == Mode.LOOP) {
                LockSupport.park(this);
            }
            if (mode == Mode.CLOSED || !connection.serveBlocking(true, true)) {
                return;
            }
            // Idle with an empty buffer: the loop serves the next request.
            connection.timeouts.enter(ConnectionPhase.IDLE);
            if (!MODE.compareAndSet(this, Mode.THREAD, Mode.LOOP)) {
                return;
            }
            loop.armRead();
        }
    }

    @Override
    public void onReadable() {
        if (mode != Mode.LOOP) {
            return;
        }
        if (step == Step.AWAITING_APPLICATION) {
            // Bytes (a pipelined request) or the end of the stream while the application holds the
            // request: read nothing until it completes; the resume arms reading again.
            loop.disarmRead();
            return;
        }
        try {
            if (output.isWritePending()) {
                // Backpressure: a client that does not read its responses gets no more requests parsed.
                loop.disarmRead();
                loop.armWrite();
                return;
            }
            lendLoopBuffers();
            int n = input.readNow(loop, connection.timeouts.phase() == ConnectionPhase.IDLE);
            if (n < 0 && step == Step.COLLECTING_BODY) {
                // The body ends early (or too slowly): let the application's read fail as it would
                // on its virtual thread (400, or 408 after the body rate timeout).
                step = Step.NEXT_REQUEST;
                connection.timeouts.bodyRate().stopWaiting();
                dispatch();
                return;
            }
            if (n < 0) {
                connection.endOfInput();
                end();
                return;
            }
            serveInline();
        } catch (IOException | RuntimeException e) {
            ServerTrace.debug(log, connection.connectionId, "Connection {} ended on the event loop: {}", connection.connectionId, e.toString());
            end();
        } finally {
            if (mode != Mode.THREAD) {
                takeBackLoopBuffers();
            }
        }
    }

    @Override
    public void onWritable() {
        if (mode != Mode.LOOP) {
            return;
        }
        try {
            if (!output.flushNonBlocking()) {
                loop.armWrite();
                return;
            }
            if (step == Step.AWAITING_APPLICATION) {
                Runnable drained = whenDrained;
                whenDrained = null;
                if (drained != null) {
                    drained.run();
                }
                return;
            }
            if (step == Step.CLOSE_AFTER_FLUSH) {
                connection.transport.shutdownOutput();
                end();
                return;
            }
            loop.armRead();
            serveInline();
        } catch (IOException | RuntimeException e) {
            ServerTrace.debug(log, connection.connectionId, "Connection {} ended on the event loop: {}", connection.connectionId, e.toString());
            end();
        }
    }

    @Override
    public void onClosed() {
        mode = Mode.CLOSED;
        endedOnLoop();
    }

    /** On the loop: serves every complete request in the buffer that can run without blocking. */
    private void serveInline() throws IOException {
        while (true) {
            if (step == Step.COLLECTING_BODY) {
                if (input.available() < connection.request.declaredBodyLength()) {
                    loop.armRead();
                    return;
                }
                step = Step.NEXT_REQUEST;
                connection.timeouts.bodyRate().stopWaiting();
                if (!processInline()) {
                    return;
                }
                if (!continueAfterResponse()) {
                    return;
                }
                continue;
            }
            if (step == Step.NEXT_REQUEST) {
                if (input.isEmpty()) {
                    if (!output.flushNonBlocking()) {
                        loop.armWrite();
                        return;
                    }
                    connection.timeouts.enter(ConnectionPhase.IDLE);
                    loop.armRead();
                    return;
                }
                connection.beginRequest();
                connection.timeouts.enter(ConnectionPhase.HEAD);
                step = Step.PARTIAL_HEAD;
            }
            try {
                if (!connection.parseHead()) {
                    // Earlier pipelined responses must not wait for the rest of this head.
                    if (!output.flushNonBlocking()) {
                        loop.armWrite();
                    }
                    loop.armRead();
                    return;
                }
                step = Step.NEXT_REQUEST;
                connection.request.startBody();
            } catch (BadRequestException e) {
                step = Step.NEXT_REQUEST;
                connection.reject(e);
                end();
                return;
            }
            switch (invocation()) {
                case NON_BLOCKING -> {
                    if (!processInline()) {
                        return;
                    }
                    if (!continueAfterResponse()) {
                        return;
                    }
                }
                case NON_BLOCKING_AFTER_BODY -> {
                    // Small body still arriving: gather it here, then run inline.
                    input.ensureRoomFor((int) connection.request.declaredBodyLength());
                    step = Step.COLLECTING_BODY;
                    connection.timeouts.bodyRate().startWaiting(); // the minimum body data rate applies while it arrives
                    connection.timeouts.enter(ConnectionPhase.APP);
                    if (!output.flushNonBlocking()) {
                        loop.armWrite();
                    }
                    loop.armRead();
                    return;
                }
                case BLOCKING -> {
                    dispatch();
                    return;
                }
            }
        }
    }

    /**
     * Runs the current request inline; false when its application suspended it: the loop then
     * leaves the connection alone (no reading) until {@link #resume}.
     */
    private boolean processInline() {
        connection.request.inlineOnLoop = true;
        if (connection.process()) {
            return true;
        }
        // Reading stays armed (disarming and re-arming per request would cost two epoll_ctl calls):
        // onReadable disarms it only if something arrives meanwhile.
        step = Step.AWAITING_APPLICATION;
        return false;
    }

    /** The application completed its suspended request (any thread): finished on the loop. */
    void resume(Throwable failure) {
        loop.execute(() -> resumeOnLoop(failure));
    }

    private void resumeOnLoop(Throwable failure) {
        if (step != Step.AWAITING_APPLICATION) {
            return;
        }
        if (mode != Mode.LOOP) {
            // The connection ended while the application held the request: finish it as aborted
            // (callbacks, disposal), writing nothing.
            step = Step.NEXT_REQUEST;
            connection.request.markAborted("the connection ended while the application held the request");
            try {
                connection.finishSuspended(failure);
            } catch (RuntimeException e) {
                ServerTrace.debug(log, connection.connectionId, "Connection {}: finishing an aborted request failed: {}", connection.connectionId, e.toString());
            }
            return;
        }
        whenDrained = null;
        try {
            lendLoopBuffers();
            step = Step.NEXT_REQUEST;
            connection.finishSuspended(failure);
            if (continueAfterResponse()) {
                serveInline();
            }
        } catch (IOException | RuntimeException e) {
            ServerTrace.debug(log, connection.connectionId, "Connection {} ended on the event loop: {}", connection.connectionId, e.toString());
            end();
        } finally {
            if (mode != Mode.THREAD) {
                takeBackLoopBuffers();
            }
        }
    }

    EventLoopRequestFeature loopFeature() {
        return loopFeature;
    }

    /** The loop, as the application of a request run inline sees it. */
    private final class LoopFeature implements EventLoopRequestFeature {
        @Override
        public void execute(Runnable task) {
            loop.execute(task);
        }

        @Override
        public EventLoopConnection adopt(SocketChannel channel) throws IOException {
            return loop.adopt(channel);
        }

        @Override
        public <T> T loopLocal(Class<T> type, Supplier<T> factory) {
            return loop.loopLocal(type, factory);
        }

        @Override
        public boolean isOutputBacklogged() {
            return output.buffered() >= Http1OutputProducer.BATCH_LIMIT;
        }

        @Override
        public void whenOutputDrained(Runnable callback) {
            try {
                if (output.flushNonBlocking()) {
                    callback.run();
                    return;
                }
            } catch (IOException e) {
                ServerTrace.debug(log, connection.connectionId, "Connection {}: flush failed: {}", connection.connectionId, e.toString());
                connection.request.markAborted("the client connection failed: " + e.getMessage());
                callback.run();
                return;
            }
            whenDrained = callback;
            loop.armWrite();
        }
    }

    /** Inline only what cannot block: a non-blocking application and a body already in the buffer. */
    private Invocation invocation() {
        Http1Request request = connection.request;
        if (!connection.application.isNonBlocking() || request.upgradeRequested() || request.expectsContinue()) {
            return Invocation.BLOCKING;
        }
        if (request.isBodyBuffered(input.available())) {
            return Invocation.NON_BLOCKING;
        }
        long length = request.declaredBodyLength();
        Long max = request.maxRequestBodySize();
        if (length > 0 && length <= INLINE_BODY_LIMIT && (max == null || length <= max)) {
            return Invocation.NON_BLOCKING_AFTER_BODY;
        }
        return Invocation.BLOCKING;
    }

    /** After an inline response: whether the loop goes on with the buffer (false: it waits or the connection ends). */
    private boolean continueAfterResponse() throws IOException {
        Http1Request request = connection.request;
        if (!request.keepAlive || request.mustClose || request.isAborted()) {
            if (request.isAborted()) {
                end();
                return false;
            }
            step = Step.CLOSE_AFTER_FLUSH;
            if (output.flushNonBlocking()) {
                connection.transport.shutdownOutput();
                end();
            } else {
                loop.armWrite();
            }
            return false;
        }
        if (request.messageBody() instanceof ContentLengthMessageBody body) {
            // The application left part of a body it had received whole: skip it.
            body.skipBuffered();
        }
        if (output.buffered() >= Http1OutputProducer.BATCH_LIMIT && !output.flushNonBlocking()) {
            loop.armWrite();
            return false;
        }
        return true;
    }

    /**
     * Hands the current request (head parsed) to the connection's virtual thread, created now if the
     * connection has none yet; it stays, parked while the loop serves, until the connection ends.
     */
    private void dispatch() {
        takeBackLoopBuffers();
        mode = Mode.THREAD;
        loop.disarmRead();
        if (connectionThread != null) {
            LockSupport.unpark(connectionThread);
            return;
        }
        try {
            Thread thread = Thread.ofVirtual().name("lanner-conn " + connection.connectionId)
                    .unstarted(connection::runOnDemandThread);
            connectionThread = thread;
            thread.start();
        } catch (RuntimeException | OutOfMemoryError e) {
            // No thread to serve the request (an exhausted heap): the connection ends here.
            ServerTrace.debug(log, connection.connectionId, "Connection {}: no thread for a blocking request: {}", connection.connectionId, e.toString());
            connectionThread = null;
            end();
        }
    }

    /** Reads into and writes from the loop's buffers, where nothing of the connection's own is pending. */
    private void lendLoopBuffers() {
        input.lendLoopBuffer();
        output.lendLoopBuffer();
    }

    /**
     * Keeps only what is left, in the connection's own buffers: the input with room for the rest of
     * a body being collected; the pending-body buffer is dropped when no request is buffered.
     */
    private void takeBackLoopBuffers() {
        input.takeBackLoopBuffer(step == Step.COLLECTING_BODY ? (int) connection.request.declaredBodyLength() : 0);
        output.takeBackLoopBuffer();
        if (input.isEmpty()) {
            output.releasePending();
        }
    }

    /** The connection ends from the loop: closed, and the parked thread told. */
    private void end() {
        mode = Mode.CLOSED;
        try {
            connection.transport.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        endedOnLoop();
    }

    /** On the loop, the connection closed: its thread ends it; without a thread, the loop does. */
    private void endedOnLoop() {
        Thread thread = connectionThread;
        if (thread != null) {
            LockSupport.unpark(thread);
        } else {
            connection.finish();
        }
    }
}
