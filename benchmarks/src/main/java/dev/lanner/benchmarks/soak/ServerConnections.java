package dev.lanner.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Counts the server's open TCP connections as the kernel sees them: sockets in /proc/net/tcp and
 * /proc/net/tcp6 whose local port is one of the server's and whose state is ESTABLISHED or
 * CLOSE_WAIT (the client has closed, the server not yet). Used to tell a connection the server
 * closed because it was at MaxConcurrentConnections from one it closed for no documented reason.
 */
final class ServerConnections {

    private static final String ESTABLISHED = "01";
    private static final String CLOSE_WAIT = "08";

    private final Set<Integer> ports;

    ServerConnections(Set<Integer> ports) {
        this.ports = ports;
    }

    int count() {
        int count = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // "  sl  local_address rem_address   st ...": "0: 0100007F:1F90 0100007F:C350 01 ..."
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 4) {
                    continue;
                }
                String local = fields[1];
                int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                if (ports.contains(port) && (fields[3].equals(ESTABLISHED) || fields[3].equals(CLOSE_WAIT))) {
                    count++;
                }
            }
        }
        return count;
    }
}
