package dev.lanner.module;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.module.internal.inprocess.InProcessApplication;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty recycles of an in-process application under load: while 4 clients keep requesting
 * {@code /a/info} and {@code /b/plaintext}, the site file is rewritten 20 times (atomically, as editors
 * save) to change {@code a}'s environment. No request may fail; every old class loader must become
 * unreachable; the heap after a full GC must end within 10% of where it started (each load of the
 * test application holds a 1 MiB static array, so a leaked loader shows).
 */
class InProcessRecycleUnderLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    private static final int RECYCLES = 20;
    private static final long MAX_REQUESTS = 200_000;

    @TempDir
    Path dir;

    private ModuleHost module;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void tearDown() {
        if (module != null) {
            module.stop();
        }
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void twentyRecyclesUnderLoadLoseNoRequestAndReleaseEveryLoader() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path siteFile = dir.resolve("site.json");
        writeSite(siteFile, port, 1);
        module = ModuleHost.create(siteFile, System.getenv(), false, "--Hosting:RequestLog=false");
        module.start();
        String base = "http://127.0.0.1:" + port;
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        assertThat(greeting(client, base)).isEqualTo("generation 1");
        assertThat(get(client, base + "/b/plaintext").body()).isEqualTo("Hello, World!");
        long heapBefore = usedHeapAfterFullGc();

        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int first = c;
            clients.add(Thread.ofVirtual().name("inprocess-recycle-client-" + c).start(() -> {
                for (long i = first; !stop.get() && sent.incrementAndGet() <= MAX_REQUESTS; i++) {
                    request(client, base + (i % 2 == 0 ? "/a/info" : "/b/plaintext"));
                }
            }));
        }

        List<WeakReference<ClassLoader>> oldLoaders = new ArrayList<>();
        List<Long> switchMillis = new ArrayList<>();
        for (int generation = 2; generation <= RECYCLES + 1; generation++) {
            ClassLoader old = application("a").classLoader().orElseThrow();
            oldLoaders.add(new WeakReference<>(old));
            old = null;
            long changed = System.nanoTime();
            Path temp = dir.resolve(".site.json.tmp");
            writeSite(temp, port, generation);
            Files.move(temp, siteFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!greeting(client, base).equals("generation " + generation)) {
                assertThat(System.nanoTime()).as("generation %d serving within 20 s", generation).isLessThan(deadline);
                Thread.sleep(20);
            }
            switchMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed));
        }
        stop.set(true);
        for (Thread t : clients) {
            t.join(Duration.ofSeconds(30));
        }
        long requests = Math.min(sent.get(), MAX_REQUESTS);

        int released = 0;
        for (int i = 0; i < 50 && released < oldLoaders.size(); i++) {
            System.gc();
            Thread.sleep(100);
            released = (int) oldLoaders.stream().filter(r -> r.get() == null).count();
        }
        long heapAfter = usedHeapAfterFullGc();

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("recycles", RECYCLES);
        counts.put("requests", requests);
        counts.put("200", ok.get());
        counts.put("errors", errors.get());
        counts.put("old loaders released", released + " of " + oldLoaders.size());
        counts.put("ms from each file move to the new generation serving", switchMillis);
        counts.put("heap after full GC before (KiB)", heapBefore / 1024);
        counts.put("heap after full GC after (KiB)", heapAfter / 1024);
        counts.put("first errors", firstErrors);
        StringBuilder report = new StringBuilder("In-process recycle under load\n");
        counts.forEach((k, v) -> report.append(k).append(": ").append(v).append('\n'));
        System.out.print(report);
        Path out = Path.of("target", "inprocess-recycle-under-load.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        assertThat(firstErrors).as("first errors").isEmpty();
        assertThat(errors.get()).as("errors").isZero();
        assertThat(ok.get()).as("every request answered 200").isEqualTo(requests);
        assertThat(requests).as("requests under load").isGreaterThan(RECYCLES * 10L);
        assertThat(released).as("old class loaders unreachable").isEqualTo(RECYCLES);
        assertThat((double) heapAfter).as("heap after full GC, KiB %d before", heapBefore / 1024)
                .isLessThanOrEqualTo(heapBefore * 1.10);
        assertThat(greeting(client, base)).isEqualTo("generation " + (RECYCLES + 1));
    }

    private void request(HttpClient client, String url) {
        try {
            HttpResponse<String> response = get(client, url);
            if (response.statusCode() == 200) {
                ok.incrementAndGet();
            } else {
                error(url + ": " + response.statusCode() + " " + response.headers().firstValue("Lanner-Module-Error").orElse("")
                        + " " + response.body().substring(0, Math.min(300, response.body().length())));
            }
        } catch (IOException e) {
            error(url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(url + ": interrupted");
        }
    }

    private void error(String what) {
        errors.incrementAndGet();
        if (firstErrors.size() < 10) {
            firstErrors.add(what);
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String greeting(HttpClient client, String base) throws Exception {
        HttpResponse<String> response = get(client, base + "/a/info");
        assertThat(response.statusCode()).as("/a/info: %s", response.body()).isEqualTo(200);
        JsonNode info = JSON.readTree(response.body());
        return info.get("greeting").asText();
    }

    private InProcessApplication application(String name) {
        return (InProcessApplication) module.application(name).orElseThrow();
    }

    private static long usedHeapAfterFullGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private void writeSite(Path file, int port, int generation) throws IOException {
        ObjectNode site = JSON.createObjectNode();
        site.put("environment", "Production");
        ArrayNode bindings = site.putArray("bindings");
        bindings.addObject().put("url", "http://127.0.0.1:" + port);
        ArrayNode applications = site.putArray("applications");
        for (String name : List.of("a", "b")) {
            ObjectNode app = applications.addObject();
            app.put("name", name);
            app.put("path", "/" + name);
            app.put("directory", Files.createDirectories(dir.resolve(name)).toString());
            app.put("hostingModel", "inprocess");
            app.put("jar", InProcessAppJar.get().toString());
            app.put("shutdownTimeLimit", 5);
            app.putArray("arguments").add("--Hosting:RequestLog=false");
            if (name.equals("a")) {
                app.putObject("environmentVariables").put("LANNER_Greeting", "generation " + generation);
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), site);
    }
}
