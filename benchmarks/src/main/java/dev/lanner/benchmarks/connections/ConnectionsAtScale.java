package dev.lanner.benchmarks.connections;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Connections at scale (issue 16): opens N keep-alive connections (HTTP/1.1, h2c or HTTP/1.1 over
 * TLS) from several loopback source addresses, makes one {@code GET /plaintext} on each, holds them
 * idle while a few active connections measure plaintext latency, then asks every idle connection
 * once more. With the server's pid it measures the server's memory per idle connection: live heap
 * after a full GC, RSS and NMT's committed total, before opening and once all are open.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.lanner.benchmarks.connections.ConnectionsAtScale \
 *     --port 5000 --protocol http1 --connections 19000 --sources 4 --hold 60 --active 16 --pid PID</pre>
 *
 * Loopback only. Prints a summary and one {@code RESULT key=value ...} line. {@code scripts/bench-connections}
 * starts the servers and runs this for each protocol.
 */
public final class ConnectionsAtScale {

    private ConnectionsAtScale() {
    }

    /** Connections opened and asked once: the live ones (null where opening failed), and what failed. */
    private record Opened(ClientConnection[] connections, int answered200, Map<String, Integer> failures,
            long millis, String negotiated) {
        int open() {
            int n = 0;
            for (ClientConnection c : connections) {
                if (c != null) {
                    n++;
                }
            }
            return n;
        }
    }

    public static void main(String[] args) throws Exception {
        ConnectionsOptions options;
        try {
            options = ConnectionsOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().equals("help") ? ConnectionsOptions.USAGE : e.getMessage() + "\n" + ConnectionsOptions.USAGE);
            System.exit(2);
            return;
        }
        InetAddress host = InetAddress.getByName(options.host());
        InetSocketAddress server = new InetSocketAddress(host, options.port());
        InetSocketAddress activeServer = options.active() > 0 ? new InetSocketAddress(host, options.activePort()) : null;
        SSLSocketFactory tls = options.protocol() == Protocol.TLS ? trustAllLoopback() : null;
        long pid = options.pid();
        System.out.printf("connections at scale: %s %s:%d, %,d connections from %s, hold %d s, %d active (plain HTTP/1.1 on port %s)%n",
                options.protocol().label(), options.host(), options.port(), options.connections(),
                options.sources() == 0 ? "127.0.0.1" : "127.0.0.2-127.0.0." + (options.sources() + 1),
                options.holdSeconds(), options.active(), activeServer == null ? "-" : activeServer.getPort());

        // Warm-up: the server's first use of the protocol (classes, JIT, pools) is not per connection.
        if (options.warmup() > 0) {
            Opened warm = open(options, server, tls, options.warmup());
            for (ClientConnection c : warm.connections()) {
                if (c != null) {
                    c.close();
                }
            }
            System.out.printf("warm-up: %d connections, %d answered 200%s%n", options.warmup(), warm.answered200(),
                    warm.failures().isEmpty() ? "" : ", failures " + warm.failures());
        }
        if (activeServer != null) {
            ActiveLoad.run(activeServer, options.active(), 5_000);
        }
        if (pid > 0 && options.warmup() > 0 && options.cycleYoung()) {
            cycleYoungGeneration(options, server, tls, pid);
        }
        Thread.sleep(1_000);

        ServerMemory before = pid > 0 ? ServerMemory.measure(pid) : null;
        Map<String, ServerMemory.HistogramRow> histogramBefore = histogram(options, "before");
        long tcpBefore = kernelTcpMemory();
        long slabBefore = kernelSlab();

        Opened idle = open(options, server, tls, options.connections());
        int held = idle.open();
        System.out.printf("opened %,d of %,d connections in %.1f s, %,d answered 200%s%s%n", held, options.connections(),
                idle.millis() / 1000.0, idle.answered200(), idle.failures().isEmpty() ? "" : "; failures: " + idle.failures(),
                idle.negotiated().isEmpty() ? "" : "; " + idle.negotiated());
        Thread.sleep(2_000);

        ServerMemory after = pid > 0 ? ServerMemory.measure(pid) : null;
        Map<String, ServerMemory.HistogramRow> histogramAfter = histogram(options, "held");
        long tcpAfter = kernelTcpMemory();
        long slabAfter = kernelSlab();
        Map<String, String> result = new LinkedHashMap<>();
        result.put("server", options.label());
        result.put("protocol", options.protocol().label());
        result.put("connections", Integer.toString(options.connections()));
        result.put("opened", Integer.toString(held));
        result.put("answered", Integer.toString(idle.answered200()));
        result.put("open_ms", Long.toString(idle.millis()));
        if (before != null && after != null && held > 0) {
            reportMemory(before, after, held, result);
        }
        long tcpDelta = tcpAfter - tcpBefore;
        System.out.printf("kernel TCP buffers (/proc/net/sockstat mem, whole machine, both ends of each connection): %+,d KiB, %,d B per connection%n",
                tcpDelta / 1024, held == 0 ? 0 : tcpDelta / held);
        result.put("kernel_tcp_b_per_conn", Long.toString(held == 0 ? 0 : tcpDelta / held));
        long slabDelta = slabAfter - slabBefore;
        System.out.printf("kernel slab (/proc/meminfo Slab, whole machine: sockets, files, epoll entries of both ends): %+,d KiB, %,d B per connection (both ends)%n",
                slabDelta / 1024, held == 0 ? 0 : slabDelta / held);
        result.put("kernel_slab_b_per_conn", Long.toString(held == 0 ? 0 : slabDelta / held));
        if (histogramBefore != null && histogramAfter != null && held > 0) {
            System.out.printf("live objects added per held connection (GC.class_histogram, held - before, / %,d):%n", held);
            System.out.printf("  %10s %10s  %s%n", "bytes", "instances", "class");
            for (ServerMemory.HistogramRow row : ServerMemory.growth(histogramBefore, histogramAfter, 25)) {
                System.out.printf("  %10.1f %10.2f  %s%n", row.bytes() / (double) held, row.instances() / (double) held,
                        row.className());
            }
        }

        System.out.printf("holding %,d idle connections for %d s%s%n", held, options.holdSeconds(),
                activeServer == null ? "" : " while " + options.active() + " active connections run GET /plaintext");
        long[] cpuBefore = cpuTicks(pid);
        if (activeServer != null) {
            ActiveLoad.Summary load = ActiveLoad.run(activeServer, options.active(), options.holdSeconds() * 1000L);
            System.out.printf("active: %,d requests in %.1f s (%,.0f/s), %d errors; latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                    load.requests(), load.seconds(), load.requests() / load.seconds(), load.errors(), load.p50Nanos() / 1e6,
                    load.p99Nanos() / 1e6, load.p999Nanos() / 1e6, load.maxNanos() / 1e6);
            result.put("active", Integer.toString(options.active()));
            result.put("active_requests", Long.toString(load.requests()));
            result.put("active_errors", Long.toString(load.errors()));
            result.put("active_p50_ms", String.format("%.3f", load.p50Nanos() / 1e6));
            result.put("active_p99_ms", String.format("%.3f", load.p99Nanos() / 1e6));
            result.put("active_p999_ms", String.format("%.3f", load.p999Nanos() / 1e6));
            result.put("active_max_ms", String.format("%.3f", load.maxNanos() / 1e6));
        } else {
            Thread.sleep(options.holdSeconds() * 1000L);
        }

        long[] cpuAfter = cpuTicks(pid);
        long machine = cpuAfter[0] - cpuBefore[0];
        if (machine > 0) {
            // /proc/stat counts every CPU: 100 % here is the whole machine (both CPUs).
            double serverShare = 100.0 * (cpuAfter[2] - cpuBefore[2]) / machine;
            double toolShare = 100.0 * (cpuAfter[3] - cpuBefore[3]) / machine;
            double others = 100.0 * (cpuAfter[1] - cpuBefore[1]) / machine - serverShare - toolShare;
            System.out.printf("CPU during the hold, share of the whole machine (%d CPUs): server %.0f %%, this tool %.0f %%, other processes %.0f %%%n",
                    machineCpus(), serverShare, toolShare, others);
            result.put("hold_cpu_server_pct", String.format("%.0f", serverShare));
            result.put("hold_cpu_others_pct", String.format("%.0f", others));
        }
        Opened again = askAgain(options, idle.connections());
        System.out.printf("after the hold: %,d of %,d idle connections answered 200 again%s%n", again.answered200(), held,
                again.failures().isEmpty() ? "" : "; failures: " + again.failures());
        result.put("answered_after_hold", Integer.toString(again.answered200()));
        if (pid > 0) {
            result.put("rss_end_kib", Long.toString(rss(pid) / 1024));
        }
        StringBuilder line = new StringBuilder("RESULT");
        result.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        System.out.flush();
        // The connections close with the process; closing 19,000 sockets one by one only takes longer.
        System.exit(0);
    }

    /** Most churn rounds before the baseline; at 2,000 connections each, far more than a young generation of 512 MiB needs. */
    private static final int MAX_CHURN_ROUNDS = 40;
    private static final int CHURN_CONNECTIONS = 2_000;

    /**
     * Until the server has collected its young generation at least once ({@code jstat -gc}: YGC >= 1),
     * opens, uses once and closes more warm-up connections. Eden pages become resident the first time
     * they are allocated into and stay resident; a server that has served traffic has cycled its eden,
     * so the baseline must come after that, or the garbage of opening the idle connections counts as
     * per-connection RSS. The same for every server (a server whose warm-up already cycled it churns nothing).
     */
    private static void cycleYoungGeneration(ConnectionsOptions options, InetSocketAddress server, SSLSocketFactory tls,
            long pid) throws IOException, InterruptedException {
        long young = ServerMemory.youngCollections(pid);
        int rounds = 0;
        int churned = 0;
        while (young == 0 && rounds < MAX_CHURN_ROUNDS) {
            Opened churn = open(options, server, tls, CHURN_CONNECTIONS);
            for (ClientConnection c : churn.connections()) {
                if (c != null) {
                    c.close();
                }
            }
            churned += CHURN_CONNECTIONS;
            rounds++;
            young = ServerMemory.youngCollections(pid);
        }
        System.out.printf("young collections before the baseline: %d%s%n", young,
                churned == 0 ? "" : " (after " + churned + " more warm-up connections)");
    }

    private static void reportMemory(ServerMemory before, ServerMemory after, int held, Map<String, String> result) {
        long heap = after.heapUsed() - before.heapUsed();
        long rss = after.rss() - before.rss();
        System.out.printf("server memory, before -> with %,d held (after a full GC):%n", held);
        System.out.printf("  live heap  %,10d KiB -> %,10d KiB: %+,d KiB, %,d B per connection%n", before.heapUsed() / 1024,
                after.heapUsed() / 1024, heap / 1024, heap / held);
        System.out.printf("  RSS        %,10d KiB -> %,10d KiB: %+,d KiB, %,d B per connection%n", before.rss() / 1024,
                after.rss() / 1024, rss / 1024, rss / held);
        if (before.heapRss() >= 0 && after.heapRss() >= 0) {
            long heapRss = after.heapRss() - before.heapRss();
            System.out.printf("    of which in the Java heap's pages %+,d KiB (%,d B per connection), outside it %+,d KiB (%,d B per connection)%n",
                    heapRss / 1024, heapRss / held, (rss - heapRss) / 1024, (rss - heapRss) / held);
            result.put("rss_heap_b_per_conn", Long.toString(heapRss / held));
            result.put("rss_nonheap_b_per_conn", Long.toString((rss - heapRss) / held));
        }
        result.put("heap_b_per_conn", Long.toString(heap / held));
        result.put("rss_b_per_conn", Long.toString(rss / held));
        result.put("heap_delta_kib", Long.toString(heap / 1024));
        result.put("rss_delta_kib", Long.toString(rss / 1024));
        result.put("rss_after_kib", Long.toString(after.rss() / 1024));
        if (before.nmtCommitted() >= 0 && after.nmtCommitted() >= 0) {
            long nmt = after.nmtCommitted() - before.nmtCommitted();
            System.out.printf("  NMT        %,10d KiB -> %,10d KiB: %+,d KiB, %,d B per connection (committed)%n",
                    before.nmtCommitted() / 1024, after.nmtCommitted() / 1024, nmt / 1024, nmt / held);
            result.put("nmt_b_per_conn", Long.toString(nmt / held));
            result.put("nmt_delta_kib", Long.toString(nmt / 1024));
            List<String> categories = new ArrayList<>();
            for (Map.Entry<String, Long> e : after.nmtCategories().entrySet()) {
                long delta = e.getValue() - before.nmtCategories().getOrDefault(e.getKey(), 0L);
                if (Math.abs(delta) >= 64 * 1024) {
                    System.out.printf("    %-28s %+,10d KiB, %,d B per connection%n", e.getKey(), delta / 1024, delta / held);
                    categories.add(e.getKey().replace(' ', '_') + ":" + delta / held);
                }
            }
            result.put("nmt_categories_b_per_conn", String.join(",", categories));
        } else {
            System.out.println("  NMT        not enabled in the server (-XX:NativeMemoryTracking=summary)");
        }
    }

    /** Opens {@code count} connections, {@code concurrency} at a time, and asks each once. */
    private static Opened open(ConnectionsOptions options, InetSocketAddress server, SSLSocketFactory tls, int count)
            throws InterruptedException {
        ClientConnection[] connections = new ClientConnection[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        AtomicReference<String> negotiated = new AtomicReference<>("");
        long start = System.nanoTime();
        AtomicInteger failed = new AtomicInteger();
        runWorkers(options.concurrency(), () -> {
            int i;
            while ((i = next.getAndIncrement()) < count) {
                if (failed.get() >= options.maxFailures()) {
                    failures.merge("not tried (opening stopped after " + options.maxFailures() + " failures)", 1, Integer::sum);
                    continue;
                }
                ClientConnection connection = null;
                try {
                    connection = ClientConnection.open(options.protocol(), server, options.sourceFor(i), tls);
                    if (connection.get() == 200) {
                        answered.incrementAndGet();
                    }
                    if (i == 0) {
                        negotiated.set(connection.describe());
                    }
                    connections[i] = connection;
                } catch (IOException | RuntimeException e) {
                    failures.merge(describe(e), 1, Integer::sum);
                    failed.incrementAndGet();
                    if (connection != null) {
                        connection.close();
                    }
                }
            }
        });
        return new Opened(connections, answered.get(), new TreeMap<>(failures),
                (System.nanoTime() - start) / 1_000_000, negotiated.get());
    }

    /** One more {@code GET /plaintext} on every held connection. */
    private static Opened askAgain(ConnectionsOptions options, ClientConnection[] connections) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        AtomicInteger timedOut = new AtomicInteger();
        runWorkers(options.concurrency(), () -> {
            int i;
            while ((i = next.getAndIncrement()) < connections.length) {
                if (connections[i] == null) {
                    continue;
                }
                // A server that stopped answering would cost a read timeout per connection: after
                // --max-failures timeouts the rest are counted as not asked.
                if (timedOut.get() >= options.maxFailures()) {
                    failures.merge("not asked (stopped after " + options.maxFailures() + " read timeouts)", 1, Integer::sum);
                    continue;
                }
                try {
                    if (connections[i].get() == 200) {
                        answered.incrementAndGet();
                    } else {
                        failures.merge("not 200", 1, Integer::sum);
                    }
                } catch (SocketTimeoutException e) {
                    timedOut.incrementAndGet();
                    failures.merge(describe(e), 1, Integer::sum);
                } catch (IOException | RuntimeException e) {
                    failures.merge(describe(e), 1, Integer::sum);
                }
            }
        });
        return new Opened(connections, answered.get(), new TreeMap<>(failures),
                (System.nanoTime() - start) / 1_000_000, "");
    }

    private static void runWorkers(int workers, Runnable work) throws InterruptedException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < workers; w++) {
                executor.execute(work);
            }
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("[0-9]+", "N");
        return e.getClass().getSimpleName() + message;
    }

    private static Map<String, ServerMemory.HistogramRow> histogram(ConnectionsOptions options, String name)
            throws IOException, InterruptedException {
        if (options.histogramDir() == null || options.pid() <= 0) {
            return null;
        }
        Files.createDirectories(options.histogramDir());
        Path file = options.histogramDir().resolve(options.label() + "-" + options.protocol().label() + "-" + name + ".txt");
        return ServerMemory.classHistogram(options.pid(), file);
    }

    /** The kernel's slab memory, whole machine ({@code /proc/meminfo} "Slab:"), bytes. */
    private static long kernelSlab() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("Slab:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return 0;
    }

    /** TCP buffer memory of the whole machine ({@code /proc/net/sockstat} "TCP: ... mem PAGES"), bytes. */
    private static long kernelTcpMemory() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
            if (line.startsWith("TCP:")) {
                String[] f = line.split("\\s+");
                for (int i = 1; i + 1 < f.length; i++) {
                    if (f[i].equals("mem")) {
                        return Long.parseLong(f[i + 1]) * 4096;
                    }
                }
            }
        }
        return 0;
    }

    /**
     * Clock ticks: the machine's total and busy ({@code /proc/stat} "cpu", all CPUs), the server's
     * and this process's user + system ({@code /proc/PID/stat}).
     */
    private static long[] cpuTicks(long pid) throws IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8 && i < cpu.length; i++) {
            total += Long.parseLong(cpu[i]);
        }
        long busy = total - Long.parseLong(cpu[4]) - Long.parseLong(cpu[5]);
        return new long[] {total, busy, pid > 0 ? processTicks(Long.toString(pid)) : 0, processTicks("self")};
    }

    /** CPUs of the machine ({@code cpuN} lines of /proc/stat), whatever this process is pinned to. */
    private static long machineCpus() {
        try {
            return Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu\\d+ .*")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long processTicks(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Trusts any certificate: the tool talks to a server on loopback with a throwaway certificate. */
    private static SSLSocketFactory trustAllLoopback() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return context.getSocketFactory();
    }
}
