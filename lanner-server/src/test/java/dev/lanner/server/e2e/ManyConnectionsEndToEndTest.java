package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 2,000 keep-alive connections open at once, each served twice: one virtual thread per
 * connection, no pool to exhaust. Needs two file descriptors per connection in this JVM (client
 * and server end); the test raises no limit itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ManyConnectionsEndToEndTest {

    private static final int CONNECTIONS = 2000;

    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        long limit = openFileLimit();
        Assumptions.assumeTrue(limit < 0 || limit >= 2L * CONNECTIONS + 500,
                "the open-file limit of the test JVM is " + limit + " (ulimit -n), below the " + (2 * CONNECTIONS + 500)
                        + " descriptors that " + CONNECTIONS + " loopback connections (client and server end) need;"
                        + " raise it with ulimit -n before running Maven");
        server = RunningServer.start(ctx -> ctx.response().write(ctx.connection().id() + " " + ctx.request().path()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** The soft "Max open files" of this process from /proc/self/limits, or -1 where that is not readable. */
    private static long openFileLimit() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: let the test try
        }
        return -1;
    }

    @Test
    void twoThousandKeepAliveConnectionsAreEachServedTwice() throws Exception {
        List<RawConnection> connections = new ArrayList<>(CONNECTIONS);
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                connections.add(server.connect());
            }
            Set<String> ids = new HashSet<>();
            for (int round = 1; round <= 2; round++) {
                for (int i = 0; i < CONNECTIONS; i++) {
                    connections.get(i).send("GET /" + round + "/" + i + " HTTP/1.1\r\nHost: a\r\n\r\n");
                }
                for (int i = 0; i < CONNECTIONS; i++) {
                    RawResponse r = connections.get(i).readResponse();
                    String body = r.bodyText();
                    String id = body.substring(0, body.indexOf(' '));
                    assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nServer: Lanner\r\n"
                            + "Content-Length: " + body.length() + "\r\n\r\n" + id + " /" + round + "/" + i);
                    if (round == 1) {
                        ids.add(id);
                    } else {
                        assertThat(ids).contains(id);
                    }
                }
                assertThat(ids).hasSize(CONNECTIONS);
                assertThat(server.server().openConnections()).isEqualTo(CONNECTIONS);
            }
        } finally {
            for (RawConnection c : connections) {
                c.close();
            }
        }
        Await.until("every connection closed", Duration.ofSeconds(10), () -> server.server().openConnections() == 0);
    }
}
