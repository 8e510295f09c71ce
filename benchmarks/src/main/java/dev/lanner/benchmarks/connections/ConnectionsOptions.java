package dev.lanner.benchmarks.connections;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The tool's options, with their defaults. Loopback only: {@link #parse} refuses any other host.
 *
 * @param host          the server's address (loopback)
 * @param port          the port the idle connections go to (speaking {@code protocol})
 * @param protocol      what the idle connections speak
 * @param connections   how many idle connections to open and hold
 * @param sources       bind the idle connections' client ends to 127.0.0.2 ... 127.0.0.(sources + 1),
 *                      round robin (0: let the kernel choose, from 127.0.0.1)
 * @param holdSeconds   how long the idle connections are held while the active ones are measured
 * @param active        how many active connections run closed-loop {@code GET /plaintext} while holding
 * @param activePort    the plain HTTP/1.1 port of the active connections (default: {@code port} when
 *                      {@code protocol} is {@code http1}, else required when {@code active > 0})
 * @param pid           the server's process id for the memory measurements, or 0 for none
 * @param concurrency   how many connections are opened (and re-checked) at a time
 * @param warmup        connections of {@code protocol} opened, used once and closed before the
 *                      baseline, so that the server's first-use costs (classes, JIT) are not counted
 *                      per connection
 * @param histogramDir  where to write the server's class histograms (before and while holding), and
 *                      print their per-connection difference; null for none
 * @param label         a name for the server in the result line (e.g. lanner, netty)
 * @param maxFailures   opening stops after this many failed connections (a server that stopped
 *                      answering would otherwise cost a read timeout per remaining connection)
 * @param cycleYoung    before the baseline, open more warm-up connections until the server has run a
 *                      young collection (its eden resident, as in a server that has served traffic);
 *                      false: the baseline right after the warm-up, as the tool did before
 */
record ConnectionsOptions(String host, int port, Protocol protocol, int connections, int sources, int holdSeconds,
        int active, int activePort, long pid, int concurrency, int warmup, Path histogramDir, String label,
        int maxFailures, boolean cycleYoung) {

    static final String USAGE = """
            usage: ConnectionsAtScale --port PORT [--host 127.0.0.1] [--protocol http1|h2c|tls]
                   [--connections N (10000)] [--sources K (4)] [--hold SECONDS (60)] [--active N (16)]
                   [--active-port PORT (plain HTTP/1.1; default --port for http1)] [--pid SERVER_PID]
                   [--concurrency N (64)] [--warmup N (500)] [--histogram DIR] [--label NAME]
                   [--max-failures N (100)] [--cycle-young true|false (true)]""";

    static ConnectionsOptions parse(String[] args) throws UnknownHostException {
        String host = "127.0.0.1";
        int port = -1;
        Protocol protocol = Protocol.HTTP1;
        int connections = 10_000;
        int sources = 4;
        int hold = 60;
        int active = 16;
        int activePort = -1;
        long pid = 0;
        int concurrency = 64;
        int warmup = 500;
        Path histogramDir = null;
        String label = "server";
        int maxFailures = 100;
        boolean cycleYoung = true;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) {
                throw new IllegalArgumentException("help");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> port = Integer.parseInt(value);
                case "--protocol" -> protocol = Protocol.of(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--sources" -> sources = Integer.parseInt(value);
                case "--hold" -> hold = Integer.parseInt(value);
                case "--active" -> active = Integer.parseInt(value);
                case "--active-port" -> activePort = Integer.parseInt(value);
                case "--pid" -> pid = Long.parseLong(value);
                case "--concurrency" -> concurrency = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--histogram" -> histogramDir = Path.of(value);
                case "--label" -> label = value;
                case "--max-failures" -> maxFailures = Integer.parseInt(value);
                case "--cycle-young" -> cycleYoung = Boolean.parseBoolean(value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (port <= 0) {
            throw new IllegalArgumentException("--port is required");
        }
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback only, not " + host);
        }
        if (sources < 0 || sources > 250) {
            throw new IllegalArgumentException("--sources must be 0..250");
        }
        if (activePort < 0) {
            if (protocol == Protocol.HTTP1) {
                activePort = port;
            } else if (active > 0) {
                throw new IllegalArgumentException("--active-port (a plain HTTP/1.1 port) is required with --protocol "
                        + protocol.label());
            }
        }
        if (connections < 0 || hold < 0 || active < 0 || concurrency < 1 || warmup < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        return new ConnectionsOptions(host, port, protocol, connections, sources, hold, active, activePort, pid,
                concurrency, warmup, histogramDir, label, maxFailures, cycleYoung);
    }

    /** The local address idle connection {@code index} binds to, or null to let the kernel choose. */
    InetAddress sourceFor(int index) throws UnknownHostException {
        if (sources == 0) {
            return null;
        }
        return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + index % sources)});
    }
}
