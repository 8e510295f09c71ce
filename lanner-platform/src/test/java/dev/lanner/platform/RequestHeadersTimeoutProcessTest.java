package dev.lanner.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.testkit.KitApplication;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The request-headers timeout, which the JDK server reads once per process
 * ({@code sun.net.httpserver.maxReqTime}): a JVM of its own (see the pom).
 */
@Timeout(60)
class RequestHeadersTimeoutProcessTest {

    @Test
    void aHeadThatNeverEndsIsClosedAfterTheTimeout() throws Exception {
        PlatformServer server = new PlatformServer(PlatformServerOptions.defaults().withName("slow heads")
                .withUrlPrefixes(List.of("http://127.0.0.1:0/")).withRequestHeadersTimeout(Duration.ofSeconds(1)),
                new UrlPrefixRegistry());
        server.start(new KitApplication(ctx -> ctx.response().write("ok")));
        int port = URI.create(server.features().get(ServerAddressesFeature.class).addresses().get(0)).getPort();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            // Well past the 1 s limit plus the JDK timer's 1 s tick: the close must have come by then.
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketException reset) {
                read = -1;
            } catch (SocketTimeoutException stillOpen) {
                read = -2;
            }
            assertThat(read).as("-1: closed by the server; -2: still open after 15 s").isEqualTo(-1);
            // A complete request on a new connection is served.
            assertThat(RawHttp.body(RawHttp.exchange(port,
                    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))).isEqualTo("ok");
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
