package dev.lanner.benchmarks;

import dev.lanner.hosting.forwarding.ForwardedHeader;
import dev.lanner.hosting.forwarding.ForwardedHeadersMiddleware;
import dev.lanner.hosting.forwarding.ForwardedHeadersOptions;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpConnectionFeature;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.server.core.RequestConnectionFeature;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The forwarded-headers middleware's cost per request: {@code baseline} builds a request's context
 * (what every request pays anyway), {@code forwarded} builds it and applies the middleware with
 * {@code ForwardedHeaders:Headers=All}. The difference is the middleware. {@code headers=proxied}
 * is a request from nginx (loopback peer, X-Forwarded-For, -Proto, -Host); {@code headers=none} is
 * a request with no forwarded header, as in the plaintext benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xmx512m"})
public class ForwardedHeadersBenchmark {

    @Param({"proxied", "none"})
    public String headers;

    private ForwardedHeadersMiddleware middleware;
    private InetAddress peer;
    private InetAddress local;
    private String[] fields;

    @Setup
    public void setUp() throws UnknownHostException {
        middleware = new ForwardedHeadersMiddleware(ForwardedHeadersOptions.defaults().withHeaders(ForwardedHeader.values()));
        peer = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        local = peer;
        fields = headers.equals("proxied")
                ? new String[] {"Host", "lanner-hello", "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https",
                    "X-Forwarded-Host", "shop.example", "User-Agent", "wrk", "Accept", "*/*"}
                : new String[] {"Host", "127.0.0.1:8080", "User-Agent", "wrk", "Accept", "*/*"};
    }

    private HttpContext context() {
        Features features = new Features();
        features.set(HttpConnectionFeature.class, new RequestConnectionFeature("c1", peer, 40000, local, 8080));
        DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
        request.setHeaders(HttpHeaders.of(fields));
        features.set(HttpRequestFeature.class, request);
        return new HttpContext(features);
    }

    @Benchmark
    public HttpContext baseline() {
        return context();
    }

    @Benchmark
    public HttpContext forwarded() {
        HttpContext context = context();
        middleware.apply(context);
        return context;
    }
}
