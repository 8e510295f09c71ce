package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.server.ServerSettings;
import dev.lanner.server.ServerOptionsBinder;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Options bound from configuration ({@link ServerOptionsBinder} over {@code ServerSettings.of(Map)}) take effect on the wire. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ConfigurationEndToEndTest {

    private static RunningServer server;

    @BeforeAll
    static void start() throws IOException {
        ServerSettings settings = ServerSettings.of(Map.of(
                "Server:AddServerHeader", "false",
                "Server:Limits:MaxRequestBodySize", "10",
                "Server:Limits:MaxRequestHeaderCount", "2"));
        server = RunningServer.start(ServerOptionsBinder.bind(settings),
                new PipelineApplication(ctx -> ctx.response().write(ctx.request().readAllBytes())), "http://127.0.0.1:0");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void addServerHeaderFalseLeavesTheServerHeaderOut() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 200 OK\r\nDate: " + r.date() + "\r\nContent-Length: 2\r\n\r\nhi");
        }
        try (RawConnection c = server.connect()) {
            // Error responses written by the server itself too.
            RawResponse r = c.send("GET / HTTP/1.1\r\n\r\n").readResponse();
            assertThat(r.raw()).isEqualTo("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\nDate: "
                    + r.date() + "\r\n\r\n");
        }
    }

    @Test
    void configuredLimitsApply() throws IOException {
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n01234567890").readResponse();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 413 Content Too Large");
            assertThat(c.readToEnd()).isEmpty();
        }
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\nX-B: 2\r\n\r\n").readResponse();
            assertThat(r.statusLine()).isEqualTo("HTTP/1.1 431 Request Header Fields Too Large");
        }
        try (RawConnection c = server.connect()) {
            RawResponse r = c.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789").readResponse();
            assertThat(r.bodyText()).isEqualTo("0123456789");
        }
    }
}
