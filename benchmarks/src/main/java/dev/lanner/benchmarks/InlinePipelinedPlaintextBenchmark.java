package dev.lanner.benchmarks;

import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.internal.http1.Http1Connection;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.ReadinessListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The path the wrk workloads take: HTTP/1.1 pipelined GET /plaintext served inline on the event loop
 * by a non-blocking application, over an in-memory {@link EventLoopConnection} whose loop is the
 * benchmark thread. Each invocation serves one connection {@value PipelinedPlaintextBenchmark#BATCHES}
 * readiness callbacks of {@value PipelinedPlaintextBenchmark#DEPTH} requests. Run with
 * {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per request.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class InlinePipelinedPlaintextBenchmark {

    private ServerContext server;
    private Heartbeat heartbeat;
    private byte[] batch;
    private final HttpApplication<FeatureCollection> application = new NonBlockingApplication();

    @Setup(Level.Trial)
    public void setUp() {
        server = new ServerContext(LannerServerOptions.defaults());
        heartbeat = new Heartbeat(server);
        int depth = PipelinedPlaintextBenchmark.DEPTH;
        byte[] request = PipelinedPlaintextBenchmark.REQUEST;
        batch = new byte[request.length * depth];
        for (int i = 0; i < depth; i++) {
            System.arraycopy(request, 0, batch, i * request.length, request.length);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PipelinedPlaintextBenchmark.DEPTH * PipelinedPlaintextBenchmark.BATCHES)
    public long pipelinedInline() throws InterruptedException {
        LoopConnection transport = new LoopConnection(batch);
        Thread connection = Thread.startVirtualThread(
                new Http1Connection(server, new ConnectionContext("bench", transport), application, heartbeat)::run);
        while (transport.listener == null) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < PipelinedPlaintextBenchmark.BATCHES; i++) {
            transport.pending = true;
            transport.listener.onReadable();
        }
        transport.ended = true;
        transport.listener.onReadable();
        connection.join();
        return transport.written;
    }

    /** Answers with the response features, allocating nothing itself; runs inline. */
    static final class NonBlockingApplication implements HttpApplication<FeatureCollection> {
        @Override
        public FeatureCollection createContext(FeatureCollection features) {
            return features;
        }

        @Override
        public void processRequest(FeatureCollection features) throws IOException {
            HttpResponseFeature response = features.get(HttpResponseFeature.class);
            response.headers().add("Content-Type", "text/plain");
            response.headers().add("Content-Length", "13");
            features.get(HttpResponseBodyFeature.class).stream().write(PipelinedPlaintextBenchmark.BODY);
        }

        @Override
        public void disposeContext(FeatureCollection features, Throwable error) {
        }

        @Override
        public boolean isNonBlocking() {
            return true;
        }
    }

    /** An event-loop connection in memory: one batch per readiness, then end of stream; counts written bytes. */
    static final class LoopConnection implements EventLoopConnection {
        private static final SocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);
        private static final Map<Class<?>, Object> LOCALS = new HashMap<>();
        private final byte[] batch;
        private final Thread loop = Thread.currentThread();
        volatile ReadinessListener listener;
        boolean pending;
        boolean ended;
        long written;
        private volatile boolean open = true;
        private Thread parked;

        LoopConnection(byte[] batch) {
            this.batch = batch;
        }

        @Override
        public int readNow(ByteBuffer buffer) {
            if (pending) {
                pending = false;
                buffer.put(batch);
                return batch.length;
            }
            return ended ? -1 : 0;
        }

        @Override
        public int writeNow(ByteBuffer buffer) {
            int n = buffer.remaining();
            written += n;
            buffer.position(buffer.limit());
            return n;
        }

        @Override
        public int read(ByteBuffer buffer) {
            parked = Thread.currentThread();
            while (open) {
                LockSupport.park(this);
            }
            return -1;
        }

        @Override
        public void write(ByteBuffer... buffers) {
            for (ByteBuffer b : buffers) {
                written += b.remaining();
                b.position(b.limit());
            }
        }

        @Override public void setListener(ReadinessListener listener) { this.listener = listener; }
        @Override public void armRead() { }
        @Override public void disarmRead() { }
        @Override public void armWrite() { }
        @Override public <T> T loopLocal(Class<T> type, Supplier<T> factory) {
            return type.cast(LOCALS.computeIfAbsent(type, k -> factory.get()));
        }
        @Override public boolean inEventLoop() { return Thread.currentThread() == loop; }
        @Override public void shutdownInput() { }
        @Override public void shutdownOutput() { }
        @Override public SocketAddress localAddress() { return ADDRESS; }
        @Override public SocketAddress remoteAddress() { return ADDRESS; }
        @Override public boolean isOpen() { return open; }

        @Override
        public void close() {
            if (open) {
                open = false;
                LockSupport.unpark(parked);
                ReadinessListener l = listener;
                if (l != null) {
                    l.onClosed();
                }
            }
        }
    }
}
