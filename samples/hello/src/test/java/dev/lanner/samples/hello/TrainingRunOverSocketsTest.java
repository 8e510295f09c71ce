package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code Hosting:TrainingRun}: run() requests the training paths on the application's own addresses, then stops. */
@Timeout(60)
class TrainingRunOverSocketsTest {

    @TempDir
    Path root;

    @Test
    void aTrainingRunRequestsEachPathTwentyTimesOnEachAddressThenReturns() {
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(root,
                "--Server:Endpoints:A:Url=http://127.0.0.1:0", "--Server:Endpoints:B:Url=http://127.0.0.1:0",
                "--Hosting:RequestLog=false", "--Hosting:TrainingRun=true", "--Hosting:TrainingDuration=0",
                "--Hosting:TrainingPaths=/one; /two ;")).build();
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        for (String path : List.of("/one", "/two")) {
            app.mapGet(path, ctx -> {
                served.computeIfAbsent(path + " " + ctx.connection().localPort(), key -> new AtomicInteger())
                        .incrementAndGet();
                ctx.response().write("ok");
            });
        }

        app.run(); // returns by itself: the training run stops the application

        assertThat(served).hasSize(4);
        assertThat(served.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(20));
        assertThat(app.lifetime().applicationStopped().isAborted()).isTrue();
    }

    @Test
    void theKeepAliveLoadChurnsConnectionsOnEachAddressAndEndsThemInThreeWays() {
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(root,
                "--Server:Endpoints:A:Url=http://127.0.0.1:0", "--Hosting:RequestLog=false",
                "--Hosting:TrainingRun=true", "--Hosting:TrainingDuration=0.5",
                "--Hosting:TrainingPaths=/one;/two")).build();
        Map<String, AtomicInteger> perPath = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perConnection = new ConcurrentHashMap<>();
        for (String path : List.of("/one", "/two")) {
            app.mapGet(path, ctx -> {
                perPath.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
                perConnection.computeIfAbsent(ctx.connection().id(), key -> new AtomicInteger()).incrementAndGet();
                ctx.response().write("ok");
            });
        }

        app.run();

        // 20 requests a path, each on a connection of its own, then the load: 8 clients, each connection
        // carrying at most 50 rounds (one request, or 4 pipelined every fifth round: 80 requests), plus the 4
        // in flight when a client closes a connection without reading them.
        assertThat(perPath.keySet()).containsExactlyInAnyOrder("/one", "/two");
        assertThat(perPath.values()).allSatisfy(count -> assertThat(count.get()).isGreaterThan(20 + 100));
        long loaded = perConnection.values().stream().filter(count -> count.get() > 1).count();
        assertThat(loaded).isGreaterThan(8);
        assertThat(perConnection.values()).allSatisfy(count -> assertThat(count.get()).isLessThanOrEqualTo(80 + 4));
        assertThat(perConnection.values().stream().filter(count -> count.get() == 80).count()).isPositive();
        assertThat(app.lifetime().applicationStopped().isAborted()).isTrue();
    }

    @Test
    void theLoadRunsOverHttpsWithKeepAliveToo() throws Exception {
        Path cert = root.resolve("cert.pem");
        Path key = root.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(root,
                "--Server:Endpoints:Tls:Url=https://127.0.0.1:0", "--Server:Endpoints:Tls:Certificate:Path=" + cert,
                "--Server:Endpoints:Tls:Certificate:KeyPath=" + key, "--Hosting:RequestLog=false",
                "--Hosting:TrainingRun=true", "--Hosting:TrainingDuration=0.3", "--Hosting:TrainingPaths=/tls")).build();
        Map<String, AtomicInteger> perConnection = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> schemes = new ConcurrentHashMap<>();
        app.mapGet("/tls", ctx -> {
            perConnection.computeIfAbsent(ctx.connection().id(), k -> new AtomicInteger()).incrementAndGet();
            schemes.computeIfAbsent(ctx.request().scheme(), k -> new AtomicInteger()).incrementAndGet();
            ctx.response().write("ok");
        });

        app.run();

        assertThat(schemes.keySet()).containsExactly("https");
        assertThat(schemes.get("https").get()).isGreaterThan(20);
        assertThat(perConnection.values().stream().filter(count -> count.get() > 1).count()).isPositive();
        assertThat(perConnection.values()).allSatisfy(count -> assertThat(count.get()).isLessThanOrEqualTo(80 + 4));
    }

    @Test
    void anEndpointThatSpeaksHttp2OnlyIsSkippedAndTheOthersAreTrained() {
        WebApplication app = WebApplication.builder(WebApplicationOptions.isolated(root,
                "--Server:Endpoints:H1:Url=http://127.0.0.1:0", "--Server:Endpoints:H2c:Url=http://127.0.0.1:0",
                "--Server:Endpoints:H2c:Protocols=Http2", "--Hosting:RequestLog=false", "--Hosting:TrainingRun=true",
                "--Hosting:TrainingDuration=0.2", "--Hosting:TrainingPaths=/p",
                "--Logging:LogLevel:dev.lanner.hosting.internal=Debug")).build();
        Map<Integer, AtomicInteger> perPort = new ConcurrentHashMap<>();
        app.mapGet("/p", ctx -> {
            perPort.computeIfAbsent(ctx.connection().localPort(), k -> new AtomicInteger()).incrementAndGet();
            ctx.response().write("ok");
        });
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> log =
                new ch.qos.logback.core.read.ListAppender<>();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger("dev.lanner.hosting.internal.TrainingRun");
        log.setContext(logger.getLoggerContext());
        log.start();
        logger.addAppender(log);
        try {
            app.run();
        } finally {
            logger.detachAppender(log);
        }

        // The HTTP/2-only endpoint answers an HTTP/1.1 request with frames: its first training request fails,
        // and it gets no load; the HTTP/1.1 endpoint gets both.
        List<String> messages = log.list.stream().map(event -> event.getFormattedMessage()).toList();
        String h2c = app.urls().get(1);
        assertThat(messages).contains("Training request " + h2c + " /p failed: java.net.ProtocolException: no HTTP/1.1 response");
        assertThat(messages.stream().filter(m -> m.startsWith("Training load on "))).singleElement()
                .satisfies(m -> assertThat(m).startsWith("Training load on " + app.urls().get(0) + ": "));
        assertThat(perPort).hasSize(1);
        assertThat(perPort.values().iterator().next().get()).isGreaterThan(20);
    }
}
