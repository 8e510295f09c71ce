package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out with rolling restarts: three instances of the packaged sample (each its own JVM, as
 * {@code java -jar target/lanner-sample-hello.jar}) behind nginx's upstream
 * ({@code deploy/nginx/lanner-hello.conf}). A bounded load client (counted requests, loopback only)
 * runs while each instance in turn gets SIGTERM, stops gracefully and is started again on its port;
 * every request must get its 200. The counts go to stdout and {@code target/rolling-restart.txt}.
 */
@Timeout(300)
class RollingRestartBehindNginxIT {

    /** The acceptance floor: at least this many requests, all answered 200. */
    private static final int MINIMUM_REQUESTS = 20_000;
    /** Requests still sent after the last instance is back, so its return is under load too. */
    private static final int REQUESTS_AFTER_THE_LAST_RESTART = 2_000;
    /** A hard bound on the load whatever happens. */
    private static final int MAXIMUM_REQUESTS = 400_000;
    private static final int CLIENTS = 8;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private ProxyProcess nginx;

    @AfterEach
    void stopAll() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        for (Process process : processes) {
            process.destroyForcibly();
        }
    }

    @Test
    void threeInstancesRestartedOneByOneUnderLoadAnswerEveryRequest() throws Exception {
        Path jar = Path.of("target", "lanner-sample-hello.jar").toAbsolutePath();
        assertThat(jar).as("the packaged sample (mvn package)").isRegularFile();
        int[] ports = {ProxyProcess.freePort(), ProxyProcess.freePort(), ProxyProcess.freePort()};
        Process[] instances = new Process[3];
        for (int i = 0; i < 3; i++) {
            instances[i] = startInstance(jar, ports[i], i, 0);
        }
        for (int i = 0; i < 3; i++) {
            awaitReady(instances[i], ports[i], i, 0);
        }

        int http = ProxyProcess.freePort();
        Path[] certificate = ProxyProcess.selfSignedCertificate(dir);
        String file = "deploy/nginx/lanner-hello.conf";
        Map<String, String> replacements = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            replacements.put("127.0.0.1:500" + i + " ", "127.0.0.1:" + ports[i] + " ");
        }
        replacements.put("listen 80;", "listen 127.0.0.1:" + http + ";");
        replacements.put("listen 443 ssl http2;", "listen 127.0.0.1:" + ProxyProcess.freePort() + " ssl http2;");
        replacements.put("/etc/ssl/lanner/hello.crt", certificate[0].toString());
        replacements.put("/etc/ssl/lanner/hello.key", certificate[1].toString());
        String site = ProxyProcess.replace(file, Files.readString(ProxyProcess.repositoryRoot().resolve(file)), replacements);
        nginx = ProxyProcess.nginx(dir, site, http);

        AtomicLong sent = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        Queue<String> firstErrors = new ConcurrentLinkedQueue<>();
        Map<Integer, AtomicLong> servedByPort = new ConcurrentHashMap<>();
        AtomicBoolean restartsDone = new AtomicBoolean();
        AtomicLong sentWhenRestartsDone = new AtomicLong(Long.MAX_VALUE);
        URI uri = URI.create("http://127.0.0.1:" + http + "/info");
        List<Future<?>> clients = new ArrayList<>();
        long started = System.nanoTime();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(threads.submit(() -> {
                    while (true) {
                        long n = sent.incrementAndGet();
                        if (n > MAXIMUM_REQUESTS || (restartsDone.get() && n > MINIMUM_REQUESTS
                                && n > sentWhenRestartsDone.get() + REQUESTS_AFTER_THE_LAST_RESTART)) {
                            sent.decrementAndGet();
                            return null;
                        }
                        try {
                            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200 && response.body().contains("\"remoteAddress\":\"127.0.0.1\"")) {
                                ok.incrementAndGet();
                                int port = Integer.parseInt(response.body().replaceAll(".*\"localPort\":(\\d+).*", "$1"));
                                servedByPort.computeIfAbsent(port, p -> new AtomicLong()).incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                                note(firstErrors, "request " + n + ": " + response.statusCode() + " " + response.body());
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            note(firstErrors, "request " + n + ": " + e);
                        }
                    }
                }));
            }

            // Each instance in turn: SIGTERM (graceful: readiness 503, drain, close, finish), then a new
            // process on the same port, ready before the next one goes.
            List<String> restarts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                awaitSent(sent, (i + 1) * 3_000L, clients);
                long stopAt = System.nanoTime();
                instances[i].destroy();
                assertThat(instances[i].waitFor(60, TimeUnit.SECONDS)).as("instance %d stops after SIGTERM", i).isTrue();
                int exit = instances[i].exitValue();
                long stopped = System.nanoTime();
                long servedBefore = served(servedByPort, ports[i]);
                instances[i] = startInstance(jar, ports[i], i, 1);
                awaitReady(instances[i], ports[i], i, 1);
                // The procedure the deployment guide gives: the next instance goes only once nginx
                // sends this one requests again (after its fail_timeout), so two are always serving.
                awaitServed(servedByPort, ports[i], servedBefore, clients);
                restarts.add("instance %d: stopped in %d ms (exit %d), back in %d ms".formatted(i,
                        TimeUnit.NANOSECONDS.toMillis(stopped - stopAt), exit,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped)));
                // (back = ready and served through nginx again)
                assertThat(exit).as("instance %d's exit code after SIGTERM; log:%n%s", i, ProxyProcess.tail(log(i, 0)))
                        .isEqualTo(143);
            }
            sentWhenRestartsDone.set(sent.get());
            restartsDone.set(true);
            for (Future<?> f : clients) {
                f.get(120, TimeUnit.SECONDS);
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            String report = "rolling restart behind nginx: %d requests sent, %d answered 200, %d errors, in %d ms; served by port %s; %s"
                    .formatted(sent.get(), ok.get(), errors.get(), millis, servedByPort, restarts);
            System.out.println(report);
            Files.writeString(Path.of("target", "rolling-restart.txt"), report + "\n");

            assertThat(errors.get()).as("errors; the first ones: %s%n%s", firstErrors, nginx.logTail()).isZero();
            assertThat(ok.get()).isEqualTo(sent.get()).isGreaterThanOrEqualTo(MINIMUM_REQUESTS);
            for (int port : ports) {
                assertThat(servedByPort).as("instance on port %d served requests", port).containsKey(port);
            }
        }
    }

    private static void note(Queue<String> firstErrors, String error) {
        if (firstErrors.size() < 10) {
            firstErrors.add(error);
        }
    }

    private static void awaitSent(AtomicLong sent, long count, List<Future<?>> clients) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sent.get() < count) {
            for (Future<?> f : clients) {
                if (f.isDone()) {
                    f.get();
                }
            }
            assertThat(System.nanoTime()).as("%d requests sent within 60 s (now %d)", count, sent.get()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static long served(Map<Integer, AtomicLong> servedByPort, int port) {
        AtomicLong count = servedByPort.get(port);
        return count == null ? 0 : count.get();
    }

    private static void awaitServed(Map<Integer, AtomicLong> servedByPort, int port, long before, List<Future<?>> clients)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (served(servedByPort, port) <= before) {
            for (Future<?> f : clients) {
                if (f.isDone()) {
                    f.get();
                }
            }
            assertThat(System.nanoTime()).as("nginx sends requests to port %d again within 60 s", port).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private Path log(int instance, int generation) {
        return dir.resolve("instance-" + instance + "-" + generation + ".log");
    }

    private Process startInstance(Path jar, int port, int instance, int generation) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-XX:+UseSerialGC", "-Xmx128m", "-jar", jar.toString(),
                "--Urls=http://127.0.0.1:" + port, "--Hosting:RequestLog=false",
                "--ForwardedHeaders:Headers=All", "--ForwardedHeaders:KnownProxies=127.0.0.1",
                // A short drain keeps the test short; nginx learns of a stop from the closed port.
                "--Health:Enabled=true", "--Health:DrainDelay=1")
                .redirectErrorStream(true).redirectOutput(log(instance, generation).toFile()).start();
        processes.add(process);
        return process;
    }

    private void awaitReady(Process process, int port, int instance, int generation) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                LoopbackClient.Response ready = LoopbackClient.get("127.0.0.1", port, "/readyz", "127.0.0.1");
                if (ready.status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("instance " + instance + " not ready on " + port + ":\n"
                        + ProxyProcess.tail(log(instance, generation)));
            }
            Thread.sleep(20);
        }
    }
}
