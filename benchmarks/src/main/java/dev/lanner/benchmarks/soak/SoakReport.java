package dev.lanner.benchmarks.soak;

import dev.lanner.benchmarks.soak.SoakDriver.ClientGroup;
import dev.lanner.benchmarks.soak.SoakDriver.Phase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * The soak verdict and its Markdown report. The rules (also in docs/reliability.md, "Soak"):
 * <ol>
 * <li>well-behaved errors: none, over the whole run;</li>
 * <li>throughput: every minute of the mix, the well-behaved requests served per second are within the
 * tolerance (20%) of the baseline's; so is each client kind over the whole mix;</li>
 * <li>flat: for open fds, live threads and heap after a full GC, the median of each minute's samples
 * over the last half of the mix — the minutes from M − ⌈M/2⌉ (at least 1: never the baseline) to M — varies by
 * no more than the tolerance (16 fds, 4 threads, 16 MiB), and does not rise minute after minute (at
 * least three medians, each above the one before);</li>
 * <li>the server: alive at every sample and at the end, no OutOfMemoryError in its log, heap committed
 * never above its -Xmx;</li>
 * <li>hostile clients: no anomaly (every attempt got a documented answer).</li>
 * </ol>
 */
final class SoakReport {

    private record Rule(String name, boolean passed, String detail) {
    }

    private final SoakOptions options;
    private final List<ClientGroup> groups;
    private final List<HostileScenario> scenarios;
    private final List<Phase> phases;
    private final SoakCounters.Interval warmup;
    private final SoakCounters.Interval leftover;
    private final ProcessMonitor.Sample end;
    private final long maxHeapKib;
    private final boolean oom;
    private final Map<String, Long> logSummary;
    private final List<Rule> rules = new ArrayList<>();

    SoakReport(SoakOptions options, List<ClientGroup> groups, List<HostileScenario> scenarios, List<Phase> phases,
            SoakCounters.Interval warmup, SoakCounters.Interval leftover, ProcessMonitor.Sample end, long maxHeapKib,
            boolean oom, Map<String, Long> logSummary) {
        this.options = options;
        this.groups = groups;
        this.scenarios = scenarios;
        this.phases = phases;
        this.warmup = warmup;
        this.leftover = leftover;
        this.end = end;
        this.maxHeapKib = maxHeapKib;
        this.oom = oom;
        this.logSummary = logSummary;
        judge();
    }

    boolean passed() {
        return rules.stream().allMatch(Rule::passed);
    }

    private Phase baseline() {
        return phases.get(0);
    }

    private List<Phase> mix() {
        return phases.subList(1, phases.size());
    }

    private SoakCounters.Interval mixTotal() {
        SoakCounters.Interval total = SoakCounters.Interval.empty();
        for (Phase p : mix()) {
            total = total.plus(p.counts());
        }
        return total;
    }

    private void judge() {
        SoakCounters.Interval all = warmup.plus(leftover);
        for (Phase p : phases) {
            all = all.plus(p.counts());
        }
        rules.add(new Rule("well-behaved errors = 0", all.errorTotal() == 0,
                all.errorTotal() + " errors in " + (all.servedTotal() + all.errorTotal()) + " well-behaved requests"));

        double tolerance = options.throughputTolerance();
        double base = rps(baseline());
        List<String> outside = new ArrayList<>();
        for (Phase p : mix()) {
            double ratio = rps(p) / base;
            if (Math.abs(ratio - 1) > tolerance) {
                outside.add(String.format("%s %.0f/s (%+.1f%%)", p.name(), rps(p), 100 * (ratio - 1)));
            }
        }
        SoakCounters.Interval mixTotal = mixTotal();
        int mixSeconds = mix().stream().mapToInt(Phase::seconds).sum();
        for (ClientGroup g : groups) {
            double b = baseline().counts().served().getOrDefault(g.kind(), 0L) / (double) baseline().seconds();
            double m = mixTotal.served().getOrDefault(g.kind(), 0L) / (double) Math.max(1, mixSeconds);
            if (b == 0 || Math.abs(m / b - 1) > tolerance) {
                outside.add(String.format("%s %.0f/s against %.0f/s", g.kind(), m, b));
            }
        }
        rules.add(new Rule(String.format("well-behaved throughput within %.0f%% of the baseline", 100 * tolerance),
                outside.isEmpty() && !mix().isEmpty(),
                String.format("baseline %.0f/s; mix %s", base, outside.isEmpty()
                        ? String.format("%.0f/s to %.0f/s per minute", mix().stream().mapToDouble(SoakReport::rps).min().orElse(0),
                                mix().stream().mapToDouble(SoakReport::rps).max().orElse(0))
                        : "outside: " + String.join(", ", outside))));

        List<Phase> window = lastHalf();
        rules.add(flat("open fds flat over the last half", window, ProcessMonitor.Sample::fds, 1, options.flatFds(), ""));
        rules.add(flat("live threads flat over the last half", window, ProcessMonitor.Sample::threads, 1, options.flatThreads(), ""));
        rules.add(flat("heap after GC flat over the last half", window, ProcessMonitor.Sample::heapUsedAfterGcKib, 1024,
                options.flatHeapMib(), " MiB"));

        boolean alive = end.alive() && phases.stream().allMatch(p -> p.samples().stream().allMatch(ProcessMonitor.Sample::alive));
        long committedPeak = peak(phases, ProcessMonitor.Sample::heapCommittedKib);
        long usedPeak = peak(phases, ProcessMonitor.Sample::heapUsedBeforeGcKib);
        boolean withinHeap = maxHeapKib > 0 && committedPeak <= maxHeapKib;
        rules.add(new Rule("server alive, no OutOfMemoryError, heap within -Xmx", alive && !oom && withinHeap,
                String.format("alive at every sample and at the end: %s; OutOfMemoryError in the log: %s; heap committed "
                        + "peak %d MiB, in use before GC peak %d MiB, of -Xmx %d MiB", alive ? "yes" : "NO", oom ? "YES" : "no",
                        committedPeak / 1024, usedPeak / 1024, maxHeapKib / 1024)));

        SoakCounters.Interval hostile = mixTotal.plus(leftover);
        rules.add(new Rule("hostile clients: no anomaly", hostile.anomalyTotal() == 0,
                hostile.anomalyTotal() + " anomalies in " + (hostile.anomalyTotal() + hostile.expectedTotal()) + " hostile outcomes"));
    }

    /**
     * The minutes from M − ⌈M/2⌉ to M: the last half of the mix and the point it starts from, never the baseline
     * (index 0), which has no hostile clients and so fewer connections held (a 1-minute run compared it).
     */
    private List<Phase> lastHalf() {
        int m = mix().size();
        int from = Math.max(1, m - (m + 1) / 2);
        return phases.subList(from, phases.size());
    }

    private static Rule flat(String name, List<Phase> window, ToLongFunction<ProcessMonitor.Sample> metric, long unit,
            long tolerance, String unitName) {
        List<Long> medians = new ArrayList<>();
        for (Phase p : window) {
            long median = median(p, metric);
            if (median >= 0) {
                medians.add(median / unit);
            }
        }
        if (medians.size() < 2) {
            return new Rule(name, false, "fewer than two samples");
        }
        long min = medians.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = medians.stream().mapToLong(Long::longValue).max().orElseThrow();
        boolean rising = medians.size() >= 3;
        for (int i = 1; i < medians.size() && rising; i++) {
            rising = medians.get(i) > medians.get(i - 1);
        }
        boolean passed = max - min <= tolerance && !rising;
        return new Rule(name, passed, String.format("per-minute medians %s (%s to %s): spread %d%s, tolerance %d%s%s",
                medians, window.get(0).name(), window.get(window.size() - 1).name(), max - min, unitName, tolerance, unitName,
                rising ? "; rising every minute" : ""));
    }

    private static double rps(Phase p) {
        return p.counts().servedTotal() / (double) p.seconds();
    }

    /** The median of a metric over a phase's samples (the lower middle one of an even count), or -1. */
    private static long median(Phase p, ToLongFunction<ProcessMonitor.Sample> metric) {
        long[] values = p.samples().stream().mapToLong(metric).filter(v -> v >= 0).sorted().toArray();
        return values.length == 0 ? -1 : values[(values.length - 1) / 2];
    }

    private static long peak(List<Phase> phases, ToLongFunction<ProcessMonitor.Sample> metric) {
        return phases.stream().flatMap(p -> p.samples().stream()).mapToLong(metric).max().orElse(-1);
    }

    /** The server's CPU use over a phase, in percent of one core, from its first to its last sample. */
    static String cpu(Phase p) {
        List<ProcessMonitor.Sample> samples = p.samples().stream().filter(x -> x.cpuTicks() >= 0).toList();
        if (samples.size() < 2) {
            return "?";
        }
        ProcessMonitor.Sample first = samples.get(0);
        ProcessMonitor.Sample last = samples.get(samples.size() - 1);
        double seconds = (last.nanoTime() - first.nanoTime()) / 1e9;
        return String.format("%.0f", 100.0 * (last.cpuTicks() - first.cpuTicks()) / ProcessMonitor.TICKS_PER_SECOND / seconds);
    }

    /** "min–max" of a metric over a phase's samples, divided by {@code unit}. */
    static String range(Phase p, ToLongFunction<ProcessMonitor.Sample> metric, long unit) {
        long min = p.samples().stream().mapToLong(metric).filter(v -> v >= 0).min().orElse(-1);
        long max = p.samples().stream().mapToLong(metric).filter(v -> v >= 0).max().orElse(-1);
        if (min < 0) {
            return "?";
        }
        return min / unit == max / unit ? Long.toString(min / unit) : (min / unit) + "–" + (max / unit);
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Soak report\n\n");
        md.append(String.format("%s; %d minutes of the mix after a %d s warm-up and a %d s baseline; server pid %d, "
                + "-Xmx %d MiB, MaxConcurrentConnections %d, RequestHeadersTimeout %d s; %d processors; endpoints "
                + "http %s, h2c %s, https %s (loopback).%n%n",
                Instant.now().truncatedTo(ChronoUnit.SECONDS), mix().size(), options.warmupSeconds(), options.baselineSeconds(),
                options.pid(), maxHeapKib / 1024, options.maxConnections(), options.headersTimeoutSeconds(),
                Runtime.getRuntime().availableProcessors(), options.http(), options.h2c(), options.tls()));

        md.append("## Verdict: ").append(passed() ? "PASS" : "FAIL").append("\n\n");
        md.append("| rule | result | figures |\n|---|---|---|\n");
        for (Rule rule : rules) {
            md.append("| ").append(rule.name()).append(" | ").append(rule.passed() ? "pass" : "**FAIL**").append(" | ")
                    .append(rule.detail().replace("|", "\\|")).append(" |\n");
        }

        md.append("\n## Per minute\n\n");
        md.append("Process figures are min–max over the samples of the minute (every ").append(options.sampleSeconds())
                .append(" s; heap after a full GC forced by `jcmd GC.run`); server CPU in % of one core.\n\n");
        md.append("| phase | served | req/s | p50 ms | p99 ms | errors | hostile expected | anomalies | fds | threads "
                + "| heap after GC MiB | heap before GC MiB | RSS MiB | server CPU % |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : phases) {
            SoakCounters.Interval c = p.counts();
            md.append(String.format("| %s | %d | %.0f | %.2f | %.2f | %d | %d | %d | %s | %s | %s | %s | %s | %s |%n", p.name(),
                    c.servedTotal(), rps(p), c.latencyMillis(0.5), c.latencyMillis(0.99), c.errorTotal(), c.expectedTotal(),
                    c.anomalyTotal(), range(p, ProcessMonitor.Sample::fds, 1), range(p, ProcessMonitor.Sample::threads, 1),
                    range(p, ProcessMonitor.Sample::heapUsedAfterGcKib, 1024),
                    range(p, ProcessMonitor.Sample::heapUsedBeforeGcKib, 1024), range(p, ProcessMonitor.Sample::rssKib, 1024),
                    cpu(p)));
        }

        SoakCounters.Interval mixTotal = mixTotal();
        int mixSeconds = Math.max(1, mix().stream().mapToInt(Phase::seconds).sum());
        md.append("\n## Well-behaved clients\n\n");
        md.append("Every response checked in full (status 200 and the exact body); paced, so throughput measures whether "
                + "the server keeps up with the offered rate.\n\n");
        md.append("| client | connections | offered req/s | baseline req/s | mix req/s | mix served |\n"
                + "|---|---|---|---|---|---|\n");
        for (ClientGroup g : groups) {
            md.append(String.format("| %s | %d | %.0f | %.1f | %.1f | %d |%n", g.kind(), g.connections(), g.requestsPerSecond(),
                    baseline().counts().served().getOrDefault(g.kind(), 0L) / (double) baseline().seconds(),
                    mixTotal.served().getOrDefault(g.kind(), 0L) / (double) mixSeconds, mixTotal.served().getOrDefault(g.kind(), 0L)));
        }
        md.append(String.format("%nMix p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms (baseline p99 %.2f ms).%n",
                mixTotal.latencyMillis(0.5), mixTotal.latencyMillis(0.99), mixTotal.latencyMillis(0.999),
                baseline().counts().latencyMillis(0.99)));
        SoakCounters.Interval errors = warmup.plus(leftover);
        for (Phase p : phases) {
            errors = errors.plus(p.counts());
        }
        md.append("\nErrors by kind: ").append(errors.errors().isEmpty() ? "none" : "").append("\n");
        errors.errors().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));

        md.append("\n## Hostile clients\n\n| scenario | at once | pause ms | what it does, what it expects |\n|---|---|---|---|\n");
        for (HostileScenario s : scenarios) {
            md.append(String.format("| %s | %d | %d | %s |%n", s.name(), s.slots(), s.pauseMillis(), s.description()));
        }
        SoakCounters.Interval hostile = mixTotal.plus(leftover);
        md.append(String.format("%nOutcomes over the mix (%.1f attempts/s):%n%n| scenario: outcome | count | |%n|---|---|---|%n",
                (hostile.expectedTotal() + hostile.anomalyTotal()) / (double) mixSeconds));
        Map<String, String> rows = new TreeMap<>();
        hostile.expected().forEach((k, v) -> rows.put(k, "| " + k + " | " + v + " | expected |"));
        hostile.anomalies().forEach((k, v) -> rows.put(k, "| " + k + " | " + v + " | **anomaly** |"));
        rows.values().forEach(row -> md.append(row.replace("\n", " ")).append("\n"));

        md.append("\n## Server log\n\nWARN and ERROR lines by message (connection ids left out): ")
                .append(logSummary.isEmpty() ? "none.\n" : "\n\n| count | message |\n|---|---|\n");
        logSummary.forEach((message, count) -> md.append("| ").append(count).append(" | ")
                .append(message.replace("|", "\\|")).append(" |\n"));
        return md.toString();
    }
}
