package dev.lanner.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recycling under load: while 8 clients keep requesting {@code /a/info} and {@code /b/info}, the
 * site file is rewritten (atomically, as editors save) to change application {@code a}'s
 * environment. The module must switch {@code a} to a new process without one failed request, keep
 * {@code b}'s process, and stop the old {@code a} process once its requests are done.
 */
class ModuleRecycleUnderLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INFO = Pattern.compile("pid=(\\d+) generation=(\\S+)");
    private static final int CLIENTS = 8;
    private static final long MAX_REQUESTS = 60_000;
    private static final long AFTER_SWITCH = 2_000;

    @TempDir
    Path dir;

    private ModuleHost module;
    private final Set<Long> pidsSeen = ConcurrentHashMap.newKeySet();

    // ---- counts ----
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, AtomicLong> byGeneration = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> pidsByGeneration = new ConcurrentHashMap<>();
    private final AtomicLong maxAMillis = new AtomicLong();

    @AfterEach
    void tearDown() {
        if (module != null) {
            module.stop();
        }
        for (long pid : pidsSeen) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void changingOneApplicationRecyclesItWithoutLosingARequest() throws Exception {
        int port = freePort();
        Path siteFile = dir.resolve("site.json");
        writeSite(siteFile, port, "1");
        module = ModuleHost.create(siteFile, System.getenv(), false, "--Hosting:RequestLog=false");
        module.start();
        String base = "http://127.0.0.1:" + port;

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        // Warm-up: starts both processes.
        Info a1 = info(client, base + "/a/info");
        Info b1 = info(client, base + "/b/info");
        assertThat(a1.generation).isEqualTo("1");
        assertThat(b1.generation).isEqualTo("1");
        assertThat(a1.pid).isNotEqualTo(b1.pid);
        pidsSeen.add(a1.pid);
        pidsSeen.add(b1.pid);

        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong responded = new AtomicLong(); // 200s and errors: every sent request ends up in one of them
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int first = c;
            clients.add(Thread.ofVirtual().name("recycle-client-" + c).start(() -> {
                for (long i = first; !stop.get(); i++) {
                    if (sent.incrementAndGet() > MAX_REQUESTS) {
                        sent.decrementAndGet();
                        return;
                    }
                    String app = i % 2 == 0 ? "a" : "b";
                    request(client, base, app);
                    responded.incrementAndGet();
                }
            }));
        }

        // Some load on the old generation first.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (responded.get() < 2_000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        // Change a's GENERATION as an editor saves: a temporary file in the folder moved over the site file.
        long beforeChange = responded.get();
        long changedAt = System.nanoTime();
        Path temp = dir.resolve(".site.json.tmp");
        writeSite(temp, port, "2");
        Files.move(temp, siteFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);

        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (count("a", "2") == 0 && System.nanoTime() < deadline && !allDone(clients)) {
            Thread.sleep(5);
        }
        long switchMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changedAt);
        long atSwitch = responded.get();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (responded.get() < atSwitch + AFTER_SWITCH && System.nanoTime() < deadline && !allDone(clients)) {
            Thread.sleep(5);
        }
        stop.set(true);
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(30));
        }

        // The old a process is stopped once its requests are done (shutdownTimeLimit 10 s at most).
        Optional<ProcessHandle> oldA = ProcessHandle.of(a1.pid);
        boolean oldAEnded = oldA.isEmpty() || waitForExit(oldA.get(), Duration.ofSeconds(20));
        boolean bAlive = ProcessHandle.of(b1.pid).map(ProcessHandle::isAlive).orElse(false);

        Set<Long> aGen1 = pidsByGeneration.getOrDefault("a/1", Set.of());
        Set<Long> aGen2 = pidsByGeneration.getOrDefault("a/2", Set.of());
        Set<Long> bPids = pidsByGeneration.getOrDefault("b/1", Set.of());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("clients", CLIENTS);
        counts.put("sent", sent.get());
        counts.put("responded", responded.get());
        counts.put("200", ok.get());
        counts.put("errors", errors.get());
        counts.put("a generation 1", count("a", "1"));
        counts.put("a generation 2", count("a", "2"));
        counts.put("b generation 1", count("b", "1"));
        counts.put("other", byGeneration.entrySet().stream()
                .filter(e -> !Set.of("a/1", "a/2", "b/1").contains(e.getKey())).map(Map.Entry::toString).toList());
        counts.put("responses before the change", beforeChange);
        counts.put("responses after generation 2 was first seen", responded.get() - atSwitch);
        counts.put("ms from the file move to the first generation 2 response", switchMillis);
        counts.put("slowest /a response ms", maxAMillis.get());
        counts.put("a pids generation 1", aGen1);
        counts.put("a pids generation 2", aGen2);
        counts.put("b pids", bPids);
        counts.put("old a process ended", oldAEnded);
        counts.put("first errors", firstErrors);
        StringBuilder report = new StringBuilder("Module recycle under load\n");
        counts.forEach((k, v) -> report.append(k).append(": ").append(v).append('\n'));
        System.out.print(report);
        Path out = Path.of("target", "recycle-under-load.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        assertThat(firstErrors).as("first errors").isEmpty();
        assertThat(errors.get()).as("errors").isZero();
        assertThat(responded.get()).as("every request got a response").isEqualTo(sent.get());
        assertThat(ok.get()).as("200s").isEqualTo(sent.get());
        assertThat(count("a", "2")).as("responses from a generation 2").isPositive();
        assertThat(responded.get() - atSwitch).as("requests after the switch").isGreaterThanOrEqualTo(AFTER_SWITCH);
        assertThat(aGen1).containsExactly(a1.pid);
        assertThat(aGen2).hasSize(1).doesNotContain(a1.pid);
        assertThat(bPids).as("b is not recycled").containsExactly(b1.pid);
        assertThat(bAlive).as("b still running").isTrue();
        assertThat(oldAEnded).as("the old a process ended").isTrue();
        // After the switch /a answers from generation 2 only.
        assertThat(info(client, base + "/a/info").generation).isEqualTo("2");
    }

    private void request(HttpClient client, String base, String app) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/" + app + "/info"))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = INFO.matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                error(app + ": " + response.statusCode() + " "
                        + response.headers().firstValue("Lanner-Module-Error").orElse("") + " "
                        + response.body().substring(0, Math.min(400, response.body().length())));
                return;
            }
            long pid = Long.parseLong(m.group(1));
            String key = app + "/" + m.group(2);
            pidsSeen.add(pid);
            pidsByGeneration.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(pid);
            byGeneration.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
            ok.incrementAndGet();
        } catch (IOException e) {
            error(app + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(app + ": interrupted");
        } finally {
            if (app.equals("a")) {
                maxAMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Math::max);
            }
        }
    }

    private void error(String message) {
        errors.incrementAndGet();
        if (firstErrors.size() < 5) {
            firstErrors.add(message);
        }
    }

    private long count(String app, String generation) {
        AtomicLong n = byGeneration.get(app + "/" + generation);
        return n == null ? 0 : n.get();
    }

    private static boolean allDone(List<Thread> threads) {
        return threads.stream().noneMatch(Thread::isAlive);
    }

    private static boolean waitForExit(ProcessHandle process, Duration limit) throws InterruptedException {
        try {
            process.onExit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // checked below
        }
        return !process.isAlive();
    }

    private record Info(long pid, String generation) {
    }

    private static Info info(HttpClient client, String url) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + " " + response.body()).isEqualTo(200);
        Matcher m = INFO.matcher(response.body());
        assertThat(m.find()).as(response.body()).isTrue();
        return new Info(Long.parseLong(m.group(1)), m.group(2));
    }

    private static void writeSite(Path file, int port, String generationOfA) throws IOException {
        Map<String, Object> site = new LinkedHashMap<>();
        // Development: error pages carry their details, so a failure below says what happened.
        site.put("environment", "Development");
        site.put("bindings", List.of(Map.of("url", "http://127.0.0.1:" + port)));
        site.put("applications", List.of(application("a", generationOfA), application("b", "1")));
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(site));
    }

    private static Map<String, Object> application(String name, String generation) {
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("name", name);
        app.put("path", "/" + name);
        app.put("processPath", ProcessHandle.current().info().command().orElseThrow());
        app.put("arguments", List.of("-cp", System.getProperty("java.class.path"), "dev.lanner.module.RecycleBackend",
                "--Hosting:RequestLog=false"));
        app.put("environmentVariables", Map.of("GENERATION", generation));
        app.put("shutdownTimeLimit", 10);
        return app;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
