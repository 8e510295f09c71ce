package dev.lanner.benchmarks.soak;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The soak driver's command line, {@code --name value} pairs. Endpoints must be loopback.
 *
 * @param http HTTP/1.1 endpoint
 * @param h2c h2c (prior knowledge) endpoint
 * @param tls HTTPS endpoint (ALPN h2)
 * @param certificate PEM certificate the TLS clients trust
 * @param pid the server process
 * @param serverLog the server's output, searched for OutOfMemoryError
 * @param minutes length of the mixed phase
 * @param warmupSeconds well-behaved clients alone, not counted
 * @param baselineSeconds well-behaved clients alone, counted: the undisturbed baseline
 * @param sampleSeconds interval between two process samples
 * @param maxConnections the server's MaxConcurrentConnections
 * @param headersTimeoutSeconds the server's RequestHeadersTimeout
 * @param maxRequests cap on well-behaved requests
 * @param maxHostile cap on hostile attempts
 * @param rateScale multiplies every well-behaved client's rate
 * @param hostileScale multiplies the attempts at once of every hostile scenario but the churn
 * @param flatFds tolerance of the per-minute fd medians over the last half
 * @param flatThreads tolerance of the per-minute thread medians over the last half
 * @param flatHeapMib tolerance of the per-minute heap-after-GC medians over the last half
 * @param throughputTolerance allowed relative drop of well-behaved throughput against the baseline
 */
record SoakOptions(InetSocketAddress http, InetSocketAddress h2c, InetSocketAddress tls, Path certificate, long pid,
        Path serverLog, int minutes, int warmupSeconds, int baselineSeconds, int sampleSeconds, int maxConnections,
        int headersTimeoutSeconds, long maxRequests, long maxHostile, double rateScale, double hostileScale,
        long flatFds, long flatThreads, long flatHeapMib, double throughputTolerance) {

    static SoakOptions parse(String[] args) throws UnknownHostException {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            a.put(args[i].substring(2), args[i + 1]);
        }
        return new SoakOptions(address(required(a, "http")), address(required(a, "h2c")), address(required(a, "tls")),
                Path.of(required(a, "cert")), Long.parseLong(required(a, "pid")),
                a.containsKey("server-log") ? Path.of(a.get("server-log")) : null,
                atLeastTwoMinutes(Integer.parseInt(a.getOrDefault("minutes", "10"))),
                Integer.parseInt(a.getOrDefault("warmup-seconds", "15")),
                Integer.parseInt(a.getOrDefault("baseline-seconds", "60")),
                Integer.parseInt(a.getOrDefault("sample-seconds", "15")),
                Integer.parseInt(a.getOrDefault("max-connections", "128")),
                Integer.parseInt(a.getOrDefault("headers-timeout-seconds", "30")),
                Long.parseLong(a.getOrDefault("max-requests", "20000000")),
                Long.parseLong(a.getOrDefault("max-hostile", "2000000")),
                Double.parseDouble(a.getOrDefault("rate-scale", "1")),
                Double.parseDouble(a.getOrDefault("hostile-scale", "1")),
                Long.parseLong(a.getOrDefault("flat-fds", "16")),
                Long.parseLong(a.getOrDefault("flat-threads", "4")),
                Long.parseLong(a.getOrDefault("flat-heap-mib", "16")),
                Double.parseDouble(a.getOrDefault("throughput-tolerance", "0.2")));
    }

    /** The verdict compares per-minute medians over the last half of the mix: two minutes at least. */
    private static int atLeastTwoMinutes(int minutes) {
        if (minutes < 2) {
            throw new IllegalArgumentException("--minutes must be at least 2 (flatness is judged from two or more"
                    + " minutes of the mix), not " + minutes);
        }
        return minutes;
    }

    private static String required(Map<String, String> a, String name) {
        String value = a.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return value;
    }

    private static InetSocketAddress address(String hostPort) throws UnknownHostException {
        int colon = hostPort.lastIndexOf(':');
        InetAddress host = InetAddress.getByName(hostPort.substring(0, colon));
        if (!host.isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback only: " + hostPort);
        }
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
