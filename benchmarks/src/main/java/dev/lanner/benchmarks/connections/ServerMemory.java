package dev.lanner.benchmarks.connections;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server process's memory after a full GC, through {@code jcmd} and {@code /proc}: live heap
 * ({@code GC.heap_info}, the generations' "used" summed), RSS ({@code VmRSS}) and, when the server runs
 * with {@code -XX:NativeMemoryTracking=summary}, NMT's total committed and committed by category.
 *
 * @param heapUsed     bytes of heap in use after {@code GC.run}
 * @param rss          resident set size in bytes
 * @param heapRss      the part of {@code rss} inside the Java heap's address range ({@code /proc/PID/smaps}),
 *                     -1 when the range is not known: heap pages touched once (an eden filled once) stay
 *                     resident, so this separates them from native memory
 * @param nmtCommitted NMT's total committed bytes, or -1 without NMT
 * @param nmtCategories NMT's committed bytes by category (Java Heap, Thread, Class, Other, ...), empty without NMT
 */
record ServerMemory(long heapUsed, long rss, long heapRss, long nmtCommitted, Map<String, Long> nmtCategories) {

    private static final Pattern HEAP_USED = Pattern.compile("total .*?used (\\d+)K");
    private static final Pattern HEAP_RANGE = Pattern.compile("\\[(0x[0-9a-f]+),.*?(0x[0-9a-f]+)\\)");
    private static final Pattern MAPPING = Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) ");
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern NMT_CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    static ServerMemory measure(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        long heapUsed = 0;
        long heapLow = Long.MAX_VALUE;
        long heapHigh = 0;
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            Matcher m = HEAP_USED.matcher(line);
            if (m.find()) {
                heapUsed += Long.parseLong(m.group(1)) * 1024;
                Matcher range = HEAP_RANGE.matcher(line);
                if (range.find()) {
                    heapLow = Math.min(heapLow, Long.parseUnsignedLong(range.group(1).substring(2), 16));
                    heapHigh = Math.max(heapHigh, Long.parseUnsignedLong(range.group(2).substring(2), 16));
                }
            }
        }
        long heapRss = heapHigh > heapLow ? residentIn(pid, heapLow, heapHigh) : -1;
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        long nmtCommitted = -1;
        Map<String, Long> categories = new LinkedHashMap<>();
        for (String line : jcmd(pid, "VM.native_memory", "summary").split("\n")) {
            Matcher total = NMT_TOTAL.matcher(line);
            if (total.find()) {
                nmtCommitted = Long.parseLong(total.group(1)) * 1024;
            }
            Matcher category = NMT_CATEGORY.matcher(line.trim());
            if (category.find()) {
                categories.put(category.group(1).trim(), Long.parseLong(category.group(2)) * 1024);
            }
        }
        return new ServerMemory(heapUsed, rss, heapRss, nmtCommitted, categories);
    }

    /** Resident bytes of the mappings inside [low, high) ({@code /proc/PID/smaps} "Rss:"). */
    private static long residentIn(long pid, long low, long high) throws IOException {
        long resident = 0;
        boolean inside = false;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            Matcher mapping = MAPPING.matcher(line);
            if (mapping.find()) {
                long start = Long.parseUnsignedLong(mapping.group(1), 16);
                long end = Long.parseUnsignedLong(mapping.group(2), 16);
                inside = start >= low && end <= high;
            } else if (inside && line.startsWith("Rss:")) {
                resident += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return resident;
    }

    /**
     * The server's young collections so far ({@code jstat -gc PID}, column YGC); -1 when jstat has no
     * such column.
     */
    static long youngCollections(long pid) throws IOException, InterruptedException {
        String[] lines = run(List.of(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gc",
                Long.toString(pid))).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        for (int i = 0; i < names.length && i < values.length; i++) {
            if (names[i].equals("YGC")) {
                return Long.parseLong(values[i]);
            }
        }
        return -1;
    }

    /** One histogram row: a class's live instances and bytes. */
    record HistogramRow(String className, long instances, long bytes) {
    }

    /** {@code jcmd PID GC.class_histogram} (a full GC, live objects), written to {@code file} and parsed. */
    static Map<String, HistogramRow> classHistogram(long pid, Path file) throws IOException, InterruptedException {
        String text = jcmd(pid, "GC.class_histogram");
        Files.writeString(file, text);
        Map<String, HistogramRow> rows = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = HISTOGRAM_LINE.matcher(line);
            if (m.find()) {
                rows.merge(m.group(3), new HistogramRow(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        (a, b) -> new HistogramRow(a.className(), a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        return rows;
    }

    /** The classes whose live bytes grew most from {@code before} to {@code after}, largest first. */
    static List<HistogramRow> growth(Map<String, HistogramRow> before, Map<String, HistogramRow> after, int limit) {
        List<HistogramRow> grown = new ArrayList<>();
        for (HistogramRow row : after.values()) {
            HistogramRow old = before.get(row.className());
            long instances = row.instances() - (old == null ? 0 : old.instances());
            long bytes = row.bytes() - (old == null ? 0 : old.bytes());
            grown.add(new HistogramRow(row.className(), instances, bytes));
        }
        grown.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return grown.subList(0, Math.min(limit, grown.size()));
    }

    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        argv.add(Long.toString(pid));
        argv.addAll(List.of(command));
        return run(argv);
    }

    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            throw new IOException(String.join(" ", argv) + " failed: "
                    + new String(output, StandardCharsets.UTF_8));
        }
        return new String(output, StandardCharsets.UTF_8);
    }
}
