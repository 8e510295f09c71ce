package dev.lanner.benchmarks.soak;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every soak client counts, shared by all of them: well-behaved requests served (by client
 * kind) and their errors (by kind and reason), their latency, and hostile attempts by scenario and
 * outcome, each outcome either an expected rejection or an anomaly. {@link #take()} returns the
 * counts since the previous call, so the monitor reports per interval.
 */
final class SoakCounters {

    /** A hostile attempt's outcome: what the server did, and whether that was what a hardened server does. */
    record Outcome(String what, boolean expected) {
        static Outcome expected(String what) {
            return new Outcome(what, true);
        }

        static Outcome anomaly(String what) {
            return new Outcome(what, false);
        }
    }

    /** Counts over one interval; maps are sorted by key for stable reports. */
    record Interval(Map<String, Long> served, Map<String, Long> errors, Map<String, Long> expected,
            Map<String, Long> anomalies, long[] latencyBuckets) {

        long servedTotal() {
            return served.values().stream().mapToLong(Long::longValue).sum();
        }

        long errorTotal() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        long anomalyTotal() {
            return anomalies.values().stream().mapToLong(Long::longValue).sum();
        }

        long expectedTotal() {
            return expected.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The latency below which {@code fraction} of the requests completed, in milliseconds (bucket upper bound). */
        double latencyMillis(double fraction) {
            return Latency.percentile(latencyBuckets, fraction);
        }

        Interval plus(Interval other) {
            long[] buckets = latencyBuckets.clone();
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] += other.latencyBuckets[i];
            }
            return new Interval(sum(served, other.served), sum(errors, other.errors), sum(expected, other.expected),
                    sum(anomalies, other.anomalies), buckets);
        }

        static Interval empty() {
            return new Interval(Map.of(), Map.of(), Map.of(), Map.of(), new long[Latency.BUCKETS]);
        }

        private static Map<String, Long> sum(Map<String, Long> a, Map<String, Long> b) {
            Map<String, Long> result = new TreeMap<>(a);
            b.forEach((k, v) -> result.merge(k, v, Long::sum));
            return result;
        }
    }

    /** Latency buckets on a log scale: bucket i holds latencies below 2^(i/4) microseconds. */
    static final class Latency {
        static final int BUCKETS = 128;

        private Latency() {
        }

        static int bucket(long nanos) {
            long micros = Math.max(1, nanos / 1000);
            int bucket = (int) Math.ceil(4 * Math.log(micros + 1) / Math.log(2));
            return Math.min(BUCKETS - 1, bucket);
        }

        static double percentile(long[] buckets, double fraction) {
            long total = 0;
            for (long b : buckets) {
                total += b;
            }
            if (total == 0) {
                return 0;
            }
            long wanted = (long) Math.ceil(total * fraction);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i];
                if (seen >= wanted) {
                    return Math.pow(2, i / 4.0) / 1000.0;
                }
            }
            return Double.POSITIVE_INFINITY;
        }
    }

    private final Map<String, LongAdder> served = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> expected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> anomalies = new ConcurrentHashMap<>();
    private final AtomicLongArray latency = new AtomicLongArray(Latency.BUCKETS);
    private final LongAdder wellBehavedTotal = new LongAdder();
    private final LongAdder hostileTotal = new LongAdder();

    void served(String kind, long latencyNanos) {
        served.computeIfAbsent(kind, k -> new LongAdder()).increment();
        latency.incrementAndGet(Latency.bucket(latencyNanos));
        wellBehavedTotal.increment();
    }

    void error(String kind, String reason) {
        errors.computeIfAbsent(kind + ": " + reason, k -> new LongAdder()).increment();
        wellBehavedTotal.increment();
    }

    void hostile(String scenario, Outcome outcome) {
        (outcome.expected() ? expected : anomalies)
                .computeIfAbsent(scenario + ": " + outcome.what(), k -> new LongAdder()).increment();
        hostileTotal.increment();
    }

    long wellBehavedTotal() {
        return wellBehavedTotal.sum();
    }

    long hostileTotal() {
        return hostileTotal.sum();
    }

    /** The counts since the previous call (the adders are reset). */
    synchronized Interval take() {
        long[] buckets = new long[Latency.BUCKETS];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = latency.getAndSet(i, 0);
        }
        return new Interval(drain(served), drain(errors), drain(expected), drain(anomalies), buckets);
    }

    private static Map<String, Long> drain(Map<String, LongAdder> counters) {
        Map<String, Long> result = new TreeMap<>();
        counters.forEach((k, v) -> {
            long n = v.sumThenReset();
            if (n != 0) {
                result.put(k, n);
            }
        });
        return result;
    }
}
