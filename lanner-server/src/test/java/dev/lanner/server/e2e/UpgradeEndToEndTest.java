package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.HttpUpgradeFeature;
import dev.lanner.http.features.UpgradedConnection;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/1.1 upgrade (RFC 9110 §7.8): 101, then the raw connection both ways through {@link HttpUpgradeFeature}. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class UpgradeEndToEndTest {

    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        server = RunningServer.start(ctx -> {
            HttpUpgradeFeature upgrade = ctx.features().get(HttpUpgradeFeature.class);
            if (!upgrade.isUpgradableRequest()) {
                ctx.response().write("not upgradable");
                return;
            }
            ctx.response().setHeader("X-Protocol", "echo");
            try (UpgradedConnection raw = upgrade.upgrade()) {
                raw.output().write("hello from the server\n".getBytes());
                byte[] buf = new byte[1024];
                int n;
                while ((n = raw.input().read(buf)) > 0) {
                    raw.output().write(buf, 0, n);
                }
            }
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void upgradeSends101ThenCarriesRawBytesBothWays() throws IOException {
        try (RawConnection c = server.connect()) {
            String head = c.send("GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n").readHead();
            String date = head.substring(head.indexOf("Date: ") + 6, head.indexOf("\r\n", head.indexOf("Date: ")));
            assertThat(head).isEqualTo("HTTP/1.1 101 Switching Protocols\r\nDate: " + date + "\r\nServer: Lanner\r\n"
                    + "X-Protocol: echo\r\nConnection: Upgrade\r\nUpgrade: echo");
            assertThat(RawConnection.text(c.readExactly(22))).isEqualTo("hello from the server\n");
            byte[] binary = new byte[256];
            for (int i = 0; i < 256; i++) {
                binary[i] = (byte) i;
            }
            c.send(binary);
            assertThat(c.readExactly(256)).isEqualTo(binary);
            c.send("GET / HTTP/1.1\r\n\r\n"); // no longer HTTP: echoed as bytes
            assertThat(RawConnection.text(c.readExactly(18))).isEqualTo("GET / HTTP/1.1\r\n\r\n");
            c.shutdownOutput();
            assertThat(c.readToEnd()).isEmpty();
        }
        assertServed();
    }

    @Test
    void bytesSentRightBehindTheUpgradeRequestReachTheUpgradedStream() throws IOException {
        try (RawConnection c = server.connect()) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\nearly bytes");
            assertThat(c.readHead()).startsWith("HTTP/1.1 101 Switching Protocols\r\n");
            assertThat(RawConnection.text(c.readExactly(22 + 11))).isEqualTo("hello from the server\nearly bytes");
        }
    }

    @Test
    void requestsThatCannotBeUpgradedAreServedAsHttp() throws IOException {
        try (RawConnection c = server.connect()) {
            // No "Connection: upgrade".
            assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\nUpgrade: echo\r\n\r\n").readResponse().bodyText())
                    .isEqualTo("not upgradable");
            // A request with a body.
            assertThat(c.send("POST / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: echo\r\n"
                    + "Content-Length: 3\r\n\r\nabc").readResponse().bodyText()).isEqualTo("not upgradable");
            // HTTP/1.0 has no upgrade.
            RawResponse r = c.send("GET / HTTP/1.0\r\nConnection: upgrade, keep-alive\r\nUpgrade: echo\r\n\r\n")
                    .readResponse();
            assertThat(r.bodyText()).isEqualTo("not upgradable");
        }
    }

    private static void assertServed() throws IOException {
        try (RawConnection c = server.connect()) {
            assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText()).isEqualTo("not upgradable");
        }
    }
}
