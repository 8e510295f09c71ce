package dev.lanner.benchmarks.soak;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The soak test's driver (scripts/soak starts the server and then this): well-behaved clients alone
 * for a warm-up and a baseline, then the same clients with every hostile client for the given
 * minutes, the server process sampled throughout; it prints a Markdown report with a verdict and
 * exits 0 on PASS, 1 on FAIL. Loopback only; every client is bounded by the time limit and a cap.
 *
 * <pre>java -cp benchmarks.jar dev.lanner.benchmarks.soak.SoakDriver --http 127.0.0.1:8080 --h2c 127.0.0.1:8081
 *     --tls 127.0.0.1:8443 --cert cert.pem --pid 1234 --minutes 10 [--baseline-seconds 60 ...]</pre>
 */
public final class SoakDriver {

    /**
     * A group of identical well-behaved clients.
     *
     * @param kind the client kind, as counted
     * @param connections how many clients (one connection each)
     * @param exchangesPerSecond each client's pace
     * @param requestsPerExchange requests per exchange (pipeline depth, concurrent streams)
     */
    record ClientGroup(String kind, int connections, double exchangesPerSecond, int requestsPerExchange) {
        double requestsPerSecond() {
            return connections * exchangesPerSecond * requestsPerExchange;
        }
    }

    /** What the run measured: one entry per phase (baseline, then each minute of the mix). */
    record Phase(String name, int seconds, SoakCounters.Interval counts, List<ProcessMonitor.Sample> samples) {
    }

    private SoakDriver() {
    }

    public static void main(String[] args) throws Exception {
        SoakOptions options = SoakOptions.parse(args);
        SoakTarget target = new SoakTarget(options.http(), options.h2c(), options.tls(), trusting(options),
                options.maxConnections(), options.headersTimeoutSeconds());
        ProcessMonitor monitor = new ProcessMonitor(options.pid());
        if (!monitor.alive()) {
            throw new IllegalStateException("no process " + options.pid());
        }
        long maxHeapKib = monitor.maxHeapKib();
        SoakCounters counters = new SoakCounters();
        SoakControl control = new SoakControl(counters, options.maxRequests(), options.maxHostile(),
                new ServerConnections(java.util.Set.of(options.http().getPort(), options.h2c().getPort(), options.tls().getPort())),
                options.maxConnections());
        control.watchConnectionCount();

        double r = options.rateScale();
        List<ClientGroup> groups = List.of(
                new ClientGroup("h1 keep-alive", 4, 50 * r, 1),
                new ClientGroup("h1 pipelined x8", 2, 25 * r, 8),
                new ClientGroup("h2c 4 streams", 2, 25 * r, 4),
                new ClientGroup("h2 TLS 4 streams", 2, 25 * r, 4));
        List<Thread> wellBehaved = new ArrayList<>();
        for (ClientGroup g : groups) {
            for (int i = 0; i < g.connections(); i++) {
                WellBehavedClient client = switch (g.kind()) {
                    case "h1 keep-alive", "h1 pipelined x8" ->
                        new Http1Client(g.kind(), control, target.http(), g.requestsPerExchange(), g.exchangesPerSecond());
                    case "h2c 4 streams" ->
                        new H2Client(g.kind(), control, target.h2c(), null, g.requestsPerExchange(), g.exchangesPerSecond());
                    default ->
                        new H2Client(g.kind(), control, target.tls(), target.tlsContext(), g.requestsPerExchange(), g.exchangesPerSecond());
                };
                wellBehaved.add(Thread.ofVirtual().name("well-behaved-" + g.kind() + "-" + i).start(client));
            }
        }
        List<HostileScenario> scenarios = new ArrayList<>();
        List<HostileScenario> all = new ArrayList<>(new HostileHttp1(target, control).scenarios());
        all.addAll(new HostileHttp2(target, control).scenarios());
        for (HostileScenario s : all) {
            // --hostile-scale multiplies the attempts at once of every scenario but the churn, which the limit bounds.
            int slots = s.name().equals("churn") ? 1 : Math.max(1, (int) Math.round(s.slots() * options.hostileScale()));
            scenarios.add(new Scenario(s.name(), slots, s.pauseMillis(), s.description(), s.spreadMillis(), s::attempt));
        }

        progress("warm-up: well-behaved clients alone for %d s", options.warmupSeconds());
        Thread.sleep(options.warmupSeconds() * 1000L);
        SoakCounters.Interval warmup = counters.take();
        progress("warm-up: %d served, %d errors", warmup.servedTotal(), warmup.errorTotal());

        List<Phase> phases = new ArrayList<>();
        phases.add(observe("baseline", options.baselineSeconds(), options, counters, monitor));
        progress(phases.get(0));

        control.startHostile();
        List<Thread> hostile = new ArrayList<>();
        for (HostileScenario scenario : scenarios) {
            hostile.addAll(HostileRunner.start(scenario, control));
        }
        for (int minute = 1; minute <= options.minutes(); minute++) {
            Phase phase = observe("minute " + minute, 60, options, counters, monitor);
            phases.add(phase);
            progress(phase);
            if (!phase.samples().isEmpty() && !phase.samples().get(phase.samples().size() - 1).alive()) {
                break;
            }
        }
        control.stopHostile();
        control.stopWellBehaved();
        for (Thread t : wellBehaved) {
            t.join(15_000);
        }
        for (Thread t : hostile) {
            t.join(5_000);
        }
        SoakCounters.Interval leftover = counters.take();
        ProcessMonitor.Sample end = monitor.sample();
        String log = options.serverLog() != null && Files.exists(options.serverLog())
                ? Files.readString(options.serverLog(), java.nio.charset.StandardCharsets.ISO_8859_1) : "";

        SoakReport report = new SoakReport(options, groups, scenarios, phases, warmup, leftover, end, maxHeapKib,
                log.contains("OutOfMemoryError"), logSummary(log));
        System.out.print(report.markdown());
        System.out.flush();
        System.exit(report.passed() ? 0 : 1);
    }

    /** Runs for {@code seconds}, sampling the server every sampleSeconds, and returns what was counted. */
    private static Phase observe(String name, int seconds, SoakOptions options, SoakCounters counters,
            ProcessMonitor monitor) throws InterruptedException {
        List<ProcessMonitor.Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        long next = start + options.sampleSeconds() * 1_000_000_000L;
        while (true) {
            long now = System.nanoTime();
            if (next > end) {
                next = end;
            }
            if (next > now) {
                Thread.sleep((next - now) / 1_000_000);
            }
            samples.add(monitor.sample());
            if (next >= end) {
                break;
            }
            next += options.sampleSeconds() * 1_000_000_000L;
        }
        return new Phase(name, seconds, counters.take(), samples);
    }

    /** The server log's WARN and ERROR lines, counted by message (time stamps and connection ids left out). */
    private static java.util.Map<String, Long> logSummary(String log) {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("(?m)^\\d{4}-\\d\\d-\\d\\d [\\d:.]+ +((?:WARN|ERROR) .*)$").matcher(log);
        while (m.find()) {
            String message = m.group(1).replaceAll("connection \\S+", "connection …").replaceAll("\\s+", " ");
            counts.merge(message, 1L, Long::sum);
        }
        return counts;
    }

    private static void progress(Phase p) {
        progress("%s: %d served (%.0f/s), %d errors, %d hostile expected, %d anomalies; fds %s, threads %s, "
                + "heap after GC %s MiB, RSS %s MiB, server CPU %s%%",
                p.name(), p.counts().servedTotal(), p.counts().servedTotal() / (double) p.seconds(), p.counts().errorTotal(),
                p.counts().expectedTotal(), p.counts().anomalyTotal(), SoakReport.range(p, ProcessMonitor.Sample::fds, 1),
                SoakReport.range(p, ProcessMonitor.Sample::threads, 1),
                SoakReport.range(p, ProcessMonitor.Sample::heapUsedAfterGcKib, 1024),
                SoakReport.range(p, ProcessMonitor.Sample::rssKib, 1024), SoakReport.cpu(p));
    }

    private static void progress(String format, Object... args) {
        System.err.printf("soak: " + format + "%n", args);
        System.err.flush();
    }

    /** A TLS context that trusts exactly the server's certificate (PEM). */
    private static SSLContext trusting(SoakOptions options) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(options.certificate())) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("server-" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
