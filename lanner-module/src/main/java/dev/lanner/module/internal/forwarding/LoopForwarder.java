package dev.lanner.module.internal.forwarding;

import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpRequest;
import dev.lanner.http.HttpResponse;
import dev.lanner.http.features.HttpRequestSuspensionFeature;
import dev.lanner.server.EventLoopRequestFeature;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.ReadinessListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a request the default server runs inline on an event loop without leaving that loop:
 * the request is suspended, its upstream connection lives on the same loop (adopted, non-blocking),
 * and the response is relayed from the upstream's readiness callbacks, then the request completed.
 * No thread hand-off per request, as in nginx (decision 008). The request's body is already whole
 * in memory (the server runs only such requests inline), so every request can be sent again on a
 * fresh connection when a pooled one turns out closed. Response bodies stream with backpressure:
 * upstream reading pauses while the client has not taken what was written.
 */
public final class LoopForwarder {

    /**
     * Takes over a request whose forwarding failed before its response started, on the loop: it
     * answers (an error page) or forwards again elsewhere, and completes the request either way.
     */
    @FunctionalInterface
    public interface FailureHandler {
        void failed(HttpContext context, ForwardingException failure, HttpRequestSuspensionFeature.Completion completion);
    }

    private static final ScheduledExecutorService TIMER = timer();
    private static final int MAX_IDLE_PER_LOOP = 256;

    private final Forwarder heads;

    public LoopForwarder(Forwarder heads) {
        this.heads = heads;
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "lanner-module-timeouts");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return Executors.unconfigurableScheduledExecutorService(timer);
    }

    /**
     * What one loop keeps, touched on that loop only: idle upstream connections per backend, read
     * buffers, and the exchanges in flight, whose deadlines a ticker checks twice a second (a timer
     * task per request would wake the timer thread on every request).
     */
    static final class LoopPools {
        final Map<InetSocketAddress, ArrayDeque<Upstream>> idle = new HashMap<>();
        final ArrayDeque<byte[]> buffers = new ArrayDeque<>();
        final java.util.Set<Exchange> active = new java.util.LinkedHashSet<>();
        private boolean ticking;

        void track(Exchange exchange, EventLoopRequestFeature loop) {
            active.add(exchange);
            if (!ticking) {
                ticking = true;
                TIMER.scheduleAtFixedRate(() -> loop.execute(this::expire), TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        private void expire() {
            if (active.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            for (Exchange exchange : active.toArray(Exchange[]::new)) {
                if (now - exchange.deadline >= 0) {
                    exchange.timedOut();
                }
            }
        }

        final ArrayDeque<Forwarder.RequestBuffer> requestBuffers = new ArrayDeque<>();
        final ArrayDeque<ResponseHead> heads = new ArrayDeque<>();

        byte[] buffer() {
            byte[] b = buffers.pollFirst();
            return b != null ? b : new byte[BUFFER];
        }

        Forwarder.RequestBuffer requestBuffer() {
            Forwarder.RequestBuffer b = requestBuffers.pollFirst();
            if (b == null) {
                return new Forwarder.RequestBuffer();
            }
            b.length = 0;
            return b;
        }

        ResponseHead head() {
            ResponseHead h = heads.pollFirst();
            return h != null ? h : new ResponseHead();
        }

        /** What an exchange borrowed, back once it ended (the request bytes are written by then). */
        void release(Forwarder.RequestBuffer request, ResponseHead head) {
            if (request.bytes.length <= 64 * 1024 && requestBuffers.size() < 64) {
                requestBuffers.offerFirst(request);
            }
            if (heads.size() < 64) {
                heads.offerFirst(head);
            }
        }

        void release(byte[] buffer) {
            if (buffer.length == BUFFER && buffers.size() < 64) {
                buffers.offerFirst(buffer);
            }
        }
    }

    private static final long TICK_MILLIS = 500;
    private static final int BUFFER = 16 * 1024;

    /**
     * One upstream connection on a loop. Its read interest stays armed for its whole life (arming and
     * disarming per request would cost two epoll_ctl calls): while it idles in the pool, readiness
     * means the backend closed it (or sent what nobody asked for), and it leaves the pool closed.
     */
    static final class Upstream {
        final SocketChannel channel;
        final EventLoopConnection connection;
        final InetSocketAddress address;
        final LoopPools pools;
        int served;
        final ReadinessListener whileIdle = new ReadinessListener() {
            @Override
            public void onReadable() {
                ArrayDeque<Upstream> idle = pools.idle.get(address);
                if (idle != null) {
                    idle.remove(Upstream.this);
                }
                close();
            }

            @Override
            public void onWritable() {
            }

            @Override
            public void onClosed() {
                ArrayDeque<Upstream> idle = pools.idle.get(address);
                if (idle != null) {
                    idle.remove(Upstream.this);
                }
            }
        };

        Upstream(SocketChannel channel, EventLoopConnection connection, InetSocketAddress address, LoopPools pools) {
            this.channel = channel;
            this.connection = connection;
            this.address = address;
            this.pools = pools;
        }

        void close() {
            // Closing reports onClosed to the listener: whoever closes has already decided what follows.
            connection.setListener(IDLE);
            try {
                connection.close();
            } catch (IOException | RuntimeException ignored) {
                // closing
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    /**
     * Suspends {@code context}'s request and forwards it to {@code backend}; returns at once. The
     * request completes on the loop once the response was relayed, or {@code onFailure} answered.
     */
    public void forward(HttpContext context, EventLoopRequestFeature loop, HttpRequestSuspensionFeature suspension,
                        InetSocketAddress backend, Duration timeout, FailureHandler onFailure) throws IOException {
        LoopPools pools = loop.loopLocal(LoopPools.class, LoopPools::new);
        Forwarder.RequestBuffer head = pools.requestBuffer();
        heads.writeHead(context, head, backend);
        appendBody(context.request(), head);
        Exchange exchange = new Exchange(context, loop, suspension.suspend(), backend, timeout, onFailure, head);
        exchange.start();
    }

    /** The whole body (already received) with its length: a request sent inline is never chunked upstream. */
    private static void appendBody(HttpRequest request, Forwarder.RequestBuffer head) throws IOException {
        long declared = request.contentLength();
        if (declared == 0) {
            head.ascii("Content-Length: 0\r\n\r\n");
            return;
        }
        if (declared < 0 && !request.headers().contains("Transfer-Encoding")) {
            // HTTP/1.1 without Content-Length or Transfer-Encoding: no body (RFC 9112 §6.3). The usual GET.
            head.crlf();
            return;
        }
        // Read the body (whole in memory already) into a scratch area, then put it after its length line.
        InputStream in = request.body();
        Forwarder.RequestBuffer body = new Forwarder.RequestBuffer();
        while (true) {
            body.ensure(8192);
            int n = in.read(body.bytes, body.length, body.bytes.length - body.length);
            if (n < 0) {
                break;
            }
            body.length += n;
        }
        head.ascii("Content-Length: ").decimal(body.length).crlf().crlf();
        head.ensure(body.length);
        System.arraycopy(body.bytes, 0, head.bytes, head.length, body.length);
        head.length += body.length;
    }

    private enum State { CONNECTING, WRITING, HEAD, BODY_LENGTH, BODY_CHUNKED, BODY_TO_EOF, DONE }

    private enum ChunkStep { SIZE, DATA, DATA_END, TRAILERS }

    /** One forwarded request: a readiness listener on its upstream connection, on the loop. */
    private final class Exchange implements ReadinessListener {
        private final HttpContext context;
        private final EventLoopRequestFeature loop;
        private final HttpRequestSuspensionFeature.Completion completion;
        private final InetSocketAddress backend;
        private final Duration timeout;
        private final FailureHandler onFailure;
        private final Forwarder.RequestBuffer requestBytes;
        private final ByteBuffer request;
        private final ResponseHead head;
        private Upstream upstream;
        private boolean retried;
        private State state = State.CONNECTING;
        private byte[] buf;
        private ByteBuffer in;
        private int pos;
        private long remaining;
        private ChunkStep chunkStep = ChunkStep.SIZE;
        private OutputStream body;
        private final LoopPools pools;
        long deadline;

        Exchange(HttpContext context, EventLoopRequestFeature loop, HttpRequestSuspensionFeature.Completion completion,
                 InetSocketAddress backend, Duration timeout, FailureHandler onFailure, Forwarder.RequestBuffer requestBytes) {
            this.context = context;
            this.loop = loop;
            this.completion = completion;
            this.backend = backend;
            this.timeout = timeout;
            this.onFailure = onFailure;
            this.requestBytes = requestBytes;
            this.request = ByteBuffer.wrap(requestBytes.bytes, 0, requestBytes.length);
            this.pools = loop.loopLocal(LoopPools.class, LoopPools::new);
            this.head = pools.head();
            this.buf = pools.buffer();
            this.in = ByteBuffer.wrap(buf);
        }

        void start() {
            deadline = System.nanoTime() + timeout.toNanos();
            pools.track(this, loop);
            send(false);
        }

        /** Leaves the loop's books: no longer timed, its buffer back in the pool. */
        private void untrack() {
            pools.active.remove(this);
            pools.release(buf);
            pools.release(requestBytes, head);
        }

        /** Takes a connection (pooled unless {@code fresh}) and writes the request on it. */
        private void send(boolean fresh) {
            try {
                upstream = fresh ? null : pooled();
                if (upstream == null) {
                    upstream = connect();
                }
            } catch (IOException e) {
                fail(new ForwardingException(ForwardingException.Kind.CONNECT_FAILED, false,
                        "cannot connect to " + backend + ": " + e.getMessage(), e));
                return;
            }
            upstream.connection.setListener(this);
            request.rewind();
            in.clear();
            pos = 0;
            state = State.WRITING;
            onWritable();
        }

        private Upstream pooled() {
            ArrayDeque<Upstream> idle = pools.idle.get(backend);
            return idle == null ? null : idle.pollFirst();
        }

        private Upstream connect() throws IOException {
            SocketChannel channel = SocketChannel.open();
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                // Loopback: the connection is made (or refused) within the call.
                channel.connect(backend);
                return new Upstream(channel, loop.adopt(channel), backend, pools);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void onWritable() {
            if (state != State.WRITING) {
                return;
            }
            try {
                upstream.connection.writeNow(request);
                if (request.hasRemaining()) {
                    upstream.connection.armWrite();
                    return;
                }
                state = State.HEAD;
                upstream.connection.armRead();
            } catch (IOException e) {
                lost(e);
            }
        }

        @Override
        public void onReadable() {
            if (state == State.DONE || state == State.WRITING || state == State.CONNECTING) {
                return;
            }
            try {
                if (!in.hasRemaining()) {
                    compact();
                }
                int n = upstream.connection.readNow(in);
                if (n == 0) {
                    return;
                }
                if (n < 0) {
                    endOfStream();
                    return;
                }
                process();
            } catch (BadResponseException e) {
                upstream.close();
                fail(new ForwardingException(ForwardingException.Kind.BAD_RESPONSE, context.response().hasStarted(), e.getMessage(), e));
            } catch (IOException e) {
                lost(e);
            }
        }

        @Override
        public void onClosed() {
            if (state != State.DONE) {
                lost(new IOException("upstream connection closed"));
            }
        }

        private void compact() {
            int limit = in.position();
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                in.position(limit - pos);
                pos = 0;
            } else if (buf.length < UpstreamConnection.MAX_HEAD * 2) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                ByteBuffer grown = ByteBuffer.wrap(buf);
                grown.position(limit);
                in = grown;
            }
        }

        /** Consumes what {@code buf[pos, in.position())} holds, as far as the state allows. */
        private void process() throws IOException {
            int limit = in.position();
            if (state == State.HEAD) {
                int end = ResponseHeadParser.parse(buf, pos, limit, head);
                while (end >= 0 && head.status < 200 && head.status != 101) {
                    pos = end; // 1xx interim: skipped (RFC 9110 §15.2)
                    end = ResponseHeadParser.parse(buf, pos, limit, head);
                }
                if (end < 0) {
                    if (limit - pos >= UpstreamConnection.MAX_HEAD) {
                        throw new BadResponseException("response head larger than " + UpstreamConnection.MAX_HEAD + " bytes");
                    }
                    return;
                }
                pos = end;
                startResponse();
                if (state == State.DONE) {
                    return;
                }
            }
            switch (state) {
                case BODY_LENGTH -> {
                    int n = (int) Math.min(remaining, limit - pos);
                    if (n > 0) {
                        body.write(buf, pos, n);
                        pos += n;
                        remaining -= n;
                    }
                    if (remaining == 0) {
                        finished(!head.close && pos == limit);
                        return;
                    }
                }
                case BODY_TO_EOF -> {
                    if (limit > pos) {
                        body.write(buf, pos, limit - pos);
                        pos = limit;
                    }
                }
                case BODY_CHUNKED -> {
                    if (chunked(limit)) {
                        finished(!head.close && pos == limit);
                        return;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
            if (pos == limit) {
                pos = 0;
                in.clear();
            }
            if (loop.isOutputBacklogged()) {
                // Backpressure: read the backend again once the client took what it has.
                upstream.connection.disarmRead();
                loop.whenOutputDrained(() -> {
                    if (state != State.DONE) {
                        upstream.connection.armRead();
                    }
                });
            }
        }

        private void startResponse() throws IOException {
            HttpResponse response = context.response();
            Forwarder.relayHead(head, response);
            int status = head.status;
            // RFC 9112 §6.3: no content after HEAD, 1xx, 204 and 304, whatever the fields say.
            if (context.request().method().equals("HEAD") || status == 204 || status == 304 || status < 200) {
                if (head.contentLength >= 0 && status != 204) {
                    response.setContentLength(head.contentLength);
                }
                finished(!head.close && pos == in.position());
                return;
            }
            body = response.body();
            if (head.chunked) {
                state = State.BODY_CHUNKED;
                chunkStep = ChunkStep.SIZE;
            } else if (head.contentLength >= 0) {
                response.setContentLength(head.contentLength);
                remaining = head.contentLength;
                state = State.BODY_LENGTH;
                if (remaining == 0) {
                    finished(!head.close && pos == in.position());
                }
            } else {
                state = State.BODY_TO_EOF;
            }
        }

        /** Decodes chunks from {@code buf[pos, limit)}; true once the last chunk and the trailers are through. */
        private boolean chunked(int limit) throws IOException {
            while (pos < limit) {
                switch (chunkStep) {
                    case SIZE -> {
                        int eol = lineEnd(limit);
                        if (eol < 0) {
                            return false;
                        }
                        remaining = chunkSize(pos, eol);
                        pos = eol + 2;
                        chunkStep = remaining == 0 ? ChunkStep.TRAILERS : ChunkStep.DATA;
                    }
                    case DATA -> {
                        int n = (int) Math.min(remaining, limit - pos);
                        body.write(buf, pos, n);
                        pos += n;
                        remaining -= n;
                        if (remaining == 0) {
                            chunkStep = ChunkStep.DATA_END;
                        }
                    }
                    case DATA_END -> {
                        if (limit - pos < 2) {
                            return false;
                        }
                        if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
                            throw new BadResponseException("chunk data not followed by CRLF");
                        }
                        pos += 2;
                        chunkStep = ChunkStep.SIZE;
                    }
                    case TRAILERS -> {
                        int eol = lineEnd(limit);
                        if (eol < 0) {
                            return false;
                        }
                        boolean empty = eol == pos;
                        pos = eol + 2;
                        if (empty) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        private int lineEnd(int limit) throws BadResponseException {
            for (int i = pos; i + 1 < limit; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    return i;
                }
            }
            if (limit - pos > 8 * 1024) {
                throw new BadResponseException("chunk line longer than 8 KiB");
            }
            return -1;
        }

        private long chunkSize(int from, int to) throws BadResponseException {
            long size = 0;
            int digits = 0;
            for (int i = from; i < to && buf[i] != ';'; i++) {
                int d = Character.digit(buf[i], 16);
                if (d < 0) {
                    if (buf[i] == ' ' || buf[i] == '\t') {
                        continue;
                    }
                    throw new BadResponseException("malformed chunk size");
                }
                if (++digits > 15) {
                    throw new BadResponseException("chunk size too large");
                }
                size = size * 16 + d;
            }
            if (digits == 0) {
                throw new BadResponseException("malformed chunk size");
            }
            return size;
        }

        private void endOfStream() throws IOException {
            switch (state) {
                case BODY_TO_EOF -> finished(false);
                case HEAD -> {
                    if (!retried && upstream.served > 0 && pos == 0 && in.position() == 0) {
                        // A pooled connection the backend closed while idle: the request is whole in
                        // memory, so send it once more on a new connection.
                        retried = true;
                        upstream.close();
                        send(true);
                        return;
                    }
                    lost(new java.io.EOFException("connection closed before a complete response head"));
                }
                default -> lost(new java.io.EOFException("connection closed before the response body ended"));
            }
        }

        private void finished(boolean reusable) {
            state = State.DONE;
            untrack();
            upstream.served++;
            if (reusable) {
                upstream.connection.setListener(upstream.whileIdle);
                ArrayDeque<Upstream> idle = pools.idle.computeIfAbsent(backend, a -> new ArrayDeque<>());
                if (idle.size() < MAX_IDLE_PER_LOOP) {
                    idle.offerFirst(upstream);
                } else {
                    upstream.close();
                }
            } else {
                upstream.close();
            }
            completion.complete(null);
        }

        private void lost(IOException e) {
            if (state == State.DONE) {
                return;
            }
            if (upstream != null) {
                upstream.close();
            }
            ForwardingException.Kind kind = state == State.WRITING && upstream != null && upstream.served > 0 && !retried
                    ? null : ForwardingException.Kind.CONNECTION_LOST;
            if (kind == null) {
                // Writing on a pooled connection the backend had closed: nothing was processed.
                retried = true;
                send(true);
                return;
            }
            fail(new ForwardingException(kind, context.response().hasStarted(),
                    "connection to " + backend + " lost: " + e.getMessage(), e));
        }

        void timedOut() {
            if (state == State.DONE) {
                return;
            }
            if (upstream != null) {
                upstream.close();
            }
            fail(new ForwardingException(ForwardingException.Kind.TIMEOUT, context.response().hasStarted(),
                    "no complete response from " + backend + " within " + timeout.toSeconds() + " s", null));
        }

        private void fail(ForwardingException e) {
            state = State.DONE;
            untrack();
            if (e.responseStarted()) {
                context.abort();
                completion.complete(null);
                return;
            }
            try {
                onFailure.failed(context, e, completion);
            } catch (RuntimeException failure) {
                completion.complete(failure);
            }
        }
    }

    /** An idle pooled connection: whatever it reports is seen when it is next used. */
    private static final ReadinessListener IDLE = new ReadinessListener() {
        @Override
        public void onReadable() {
        }

        @Override
        public void onWritable() {
        }

        @Override
        public void onClosed() {
        }
    };
}
