package dev.lanner.benchmarks.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Samples the server process from outside: open file descriptors (entries of /proc/PID/fd), live
 * threads and RSS (/proc/PID/status), and the heap after a full GC ({@code jcmd PID GC.run} then
 * {@code GC.heap_info}, in one jcmd call). Linux and a JDK with jcmd only.
 */
final class ProcessMonitor {

    /**
     * One sample.
     *
     * @param alive whether the process still exists
     * @param fds open file descriptors
     * @param threads live (platform) threads, carriers of virtual threads included
     * @param rssKib resident set size
     * @param heapUsedBeforeGcKib heap in use just before that GC (garbage included)
     * @param heapUsedAfterGcKib heap in use right after a full GC
     * @param heapCommittedKib heap committed (the most of before and after)
     * @param cpuTicks user and system CPU time so far, in clock ticks (/proc/PID/stat)
     * @param nanoTime when the sample was taken ({@link System#nanoTime()})
     */
    record Sample(boolean alive, long fds, long threads, long rssKib, long heapUsedBeforeGcKib, long heapUsedAfterGcKib,
            long heapCommittedKib, long cpuTicks, long nanoTime) {
        static Sample dead() {
            return new Sample(false, -1, -1, -1, -1, -1, -1, -1, System.nanoTime());
        }
    }

    /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
    static final long TICKS_PER_SECOND = 100;

    // G1: " garbage-first heap   total reserved 262144K, committed 65536K, used 20480K [...]" (JDK 21:
    // "total 65536K, used 20480K"); Serial and Parallel print one such line per generation, summed.
    private static final Pattern HEAP = Pattern.compile(
            "heap\\s+total(?: reserved \\d+K, committed)? (\\d+)K, used (\\d+)K");
    private static final Pattern GENERATION = Pattern.compile("generation\\s+total (\\d+)K, used (\\d+)K");
    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

    private final long pid;
    private final Path proc;
    private final String jcmd;

    ProcessMonitor(long pid) {
        this.pid = pid;
        this.proc = Path.of("/proc", Long.toString(pid));
        this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    boolean alive() {
        return Files.isDirectory(proc);
    }

    /** The process's -Xmx in KiB, from {@code jcmd PID VM.flags}, or -1. */
    long maxHeapKib() {
        Matcher m = MAX_HEAP.matcher(jcmd("VM.flags"));
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    Sample sample() {
        if (!alive()) {
            return Sample.dead();
        }
        try {
            long now = System.nanoTime();
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            // Fields after the command name (which may hold spaces, hence from the last ')'): state is
            // field 3, utime 14, stime 15 (proc(5)).
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long cpu = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            long fds;
            try (Stream<Path> entries = Files.list(proc.resolve("fd"))) {
                fds = entries.count();
            }
            String status = Files.readString(proc.resolve("status"), StandardCharsets.US_ASCII);
            long threads = statusField(status, "Threads");
            long rss = statusField(status, "VmRSS");
            // A file of commands so one jcmd (one JVM start) does all three; GC.run is System.gc(): a full GC.
            Path commands = Files.createTempFile("soak-jcmd", ".txt");
            String heapInfo;
            try {
                Files.writeString(commands, "GC.heap_info\nGC.run\nGC.heap_info\n");
                heapInfo = jcmd("-f", commands.toString());
            } finally {
                Files.deleteIfExists(commands);
            }
            long[] before = heap(heapInfo, false);
            long[] after = heap(heapInfo, true);
            return new Sample(alive(), fds, threads, rss, before[1], after[1], Math.max(before[0], after[0]), cpu, now);
        } catch (IOException | RuntimeException e) {
            return alive() ? new Sample(true, -1, -1, -1, -1, -1, -1, -1, System.nanoTime()) : Sample.dead();
        }
    }

    /** {committed, used} in KiB from the first (or, if {@code last}, the second) of two heap reports in jcmd's output. */
    private static long[] heap(String heapInfo, boolean last) {
        List<long[]> heaps = matches(HEAP, heapInfo);
        if (!heaps.isEmpty()) {
            return heaps.get(last ? heaps.size() - 1 : 0);
        }
        // One line per generation in each report: the first half belongs to the first report.
        List<long[]> generations = matches(GENERATION, heapInfo);
        int half = generations.size() / 2;
        if (half == 0) {
            return new long[] {-1, -1};
        }
        long[] sum = new long[2];
        for (long[] g : generations.subList(last ? half : 0, last ? generations.size() : half)) {
            sum[0] += g[0];
            sum[1] += g[1];
        }
        return sum;
    }

    private static List<long[]> matches(Pattern pattern, String text) {
        List<long[]> result = new ArrayList<>();
        for (Matcher m = pattern.matcher(text); m.find(); ) {
            result.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return result;
    }

    private static long statusField(String status, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ":\\s+(\\d+)").matcher(status);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String jcmd(String... command) {
        String[] args = new String[command.length + 2];
        args[0] = jcmd;
        args[1] = Long.toString(pid);
        System.arraycopy(command, 0, args, 2, command.length);
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
