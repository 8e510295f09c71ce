package dev.lanner.benchmarks;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.internal.http1.Http1Connection;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + respond for HTTP/1.1 pipelined GET /plaintext, through the real connection loop over
 * an in-memory transport: each invocation serves one connection that receives
 * {@value #BATCHES} reads of {@value #DEPTH} pipelined requests (the wrk pipelined workload's
 * shape). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is bytes allocated per request.
 *
 * <p>{@code app=features} answers through the response features directly (the server's own
 * cost); {@code app=context} builds an {@code HttpContext} per request as hosting does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class PipelinedPlaintextBenchmark {

    static final int DEPTH = 16;
    static final int BATCHES = 64;
    static final byte[] REQUEST = ("GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\n"
            + "User-Agent: wrk\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    @Param({"features", "context"})
    public String app;

    private ServerContext server;
    private Heartbeat heartbeat;
    private byte[] batch;
    private HttpApplication<?> application;

    @Setup(Level.Trial)
    public void setUp() {
        server = new ServerContext(LannerServerOptions.defaults());
        heartbeat = new Heartbeat(server);
        batch = new byte[REQUEST.length * DEPTH];
        for (int i = 0; i < DEPTH; i++) {
            System.arraycopy(REQUEST, 0, batch, i * REQUEST.length, REQUEST.length);
        }
        application = app.equals("features") ? new FeaturesApplication() : new ContextApplication();
    }

    @Benchmark
    @OperationsPerInvocation(DEPTH * BATCHES)
    public long pipelined() {
        InMemoryTransport transport = new InMemoryTransport(batch, BATCHES);
        new Http1Connection(server, new ConnectionContext("bench", transport), application, heartbeat).run();
        return transport.written;
    }

    /** Answers with the response features, allocating nothing itself. */
    static final class FeaturesApplication implements HttpApplication<FeatureCollection> {
        @Override
        public FeatureCollection createContext(FeatureCollection features) {
            return features;
        }

        @Override
        public void processRequest(FeatureCollection features) throws IOException {
            HttpResponseFeature response = features.get(HttpResponseFeature.class);
            response.headers().add("Content-Type", "text/plain");
            response.headers().add("Content-Length", "13");
            features.get(HttpResponseBodyFeature.class).stream().write(BODY);
        }

        @Override
        public void disposeContext(FeatureCollection features, Throwable error) {
        }
    }

    /** Builds an HttpContext per request, as hosting does, and answers through its views. */
    static final class ContextApplication implements HttpApplication<HttpContext> {
        @Override
        public HttpContext createContext(FeatureCollection features) {
            return new HttpContext(features);
        }

        @Override
        public void processRequest(HttpContext context) throws IOException {
            var response = context.response();
            response.setContentType("text/plain");
            response.setContentLength(BODY.length);
            response.write(BODY);
        }

        @Override
        public void disposeContext(HttpContext context, Throwable error) {
        }
    }

    /** Hands out the same pipelined batch {@code batches} times, then end of stream; counts written bytes. */
    static final class InMemoryTransport implements TransportConnection {
        private static final SocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 8080);
        private final byte[] batch;
        private int batchesLeft;
        long written;
        private boolean open = true;

        InMemoryTransport(byte[] batch, int batches) {
            this.batch = batch;
            this.batchesLeft = batches;
        }

        @Override
        public int read(ByteBuffer buffer) {
            if (batchesLeft == 0) {
                return -1;
            }
            if (buffer.remaining() < batch.length) {
                throw new IllegalStateException("benchmark batch larger than the read buffer: " + buffer.remaining());
            }
            batchesLeft--;
            buffer.put(batch);
            return batch.length;
        }

        @Override
        public void write(ByteBuffer... buffers) {
            for (ByteBuffer b : buffers) {
                written += b.remaining();
                b.position(b.limit());
            }
        }

        @Override public void shutdownInput() { }
        @Override public void shutdownOutput() { }
        @Override public SocketAddress localAddress() { return ADDRESS; }
        @Override public SocketAddress remoteAddress() { return ADDRESS; }
        @Override public boolean isOpen() { return open; }
        @Override public void close() { open = false; }
    }
}
