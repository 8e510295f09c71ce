package dev.lanner.benchmarks.connections;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Closed-loop {@code GET /plaintext} over plain HTTP/1.1 keep-alive on a few connections, each on
 * its own platform thread, every latency recorded (client side: from writing the request to
 * reading the whole response).
 */
final class ActiveLoad {

    /**
     * What the active connections saw.
     *
     * @param requests  answered 200
     * @param errors    other answers and failed connections (each one reopened)
     * @param seconds   how long they ran
     * @param p50Nanos  median latency
     * @param p99Nanos  99th percentile
     * @param p999Nanos 99.9th percentile
     * @param maxNanos  slowest
     */
    record Summary(long requests, long errors, double seconds, long p50Nanos, long p99Nanos, long p999Nanos,
            long maxNanos) {
    }

    /** One active connection's loop and its latencies. */
    private static final class Loop implements Runnable {
        private final InetSocketAddress server;
        private final long deadline;
        private long[] latencies = new long[1 << 16];
        private int count;
        private long errors;

        Loop(InetSocketAddress server, long deadline) {
            this.server = server;
            this.deadline = deadline;
        }

        @Override
        public void run() {
            ClientConnection connection = null;
            while (System.nanoTime() < deadline) {
                try {
                    if (connection == null) {
                        connection = ClientConnection.open(Protocol.HTTP1, server, null, null);
                    }
                    long start = System.nanoTime();
                    int status = connection.get();
                    long latency = System.nanoTime() - start;
                    if (status != 200) {
                        errors++;
                    } else {
                        if (count == latencies.length) {
                            latencies = Arrays.copyOf(latencies, count * 2);
                        }
                        latencies[count++] = latency;
                    }
                } catch (IOException e) {
                    errors++;
                    if (connection != null) {
                        connection.close();
                    }
                    connection = null;
                }
            }
            if (connection != null) {
                connection.close();
            }
        }
    }

    private ActiveLoad() {
    }

    static Summary run(InetSocketAddress server, int connections, long durationMillis) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + durationMillis * 1_000_000;
        List<Loop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Loop loop = new Loop(server, deadline);
            loops.add(loop);
            threads.add(Thread.ofPlatform().name("active-" + i).start(loop));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int total = 0;
        long errors = 0;
        for (Loop loop : loops) {
            total += loop.count;
            errors += loop.errors;
        }
        long[] all = new long[total];
        int at = 0;
        for (Loop loop : loops) {
            System.arraycopy(loop.latencies, 0, all, at, loop.count);
            at += loop.count;
        }
        Arrays.sort(all);
        return new Summary(total, errors, seconds, percentile(all, 0.50), percentile(all, 0.99),
                percentile(all, 0.999), total == 0 ? 0 : all[total - 1]);
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
