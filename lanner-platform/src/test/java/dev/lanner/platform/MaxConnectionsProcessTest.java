package dev.lanner.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.testkit.KitApplication;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection limit, which the JDK server reads once per process ({@code jdk.httpserver.maxConnections}):
 * this class runs in a JVM of its own (see the pom), so the limit touches no other test.
 */
@Timeout(60)
class MaxConnectionsProcessTest {

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnce() throws Exception {
        PlatformServer server = new PlatformServer(PlatformServerOptions.defaults().withName("limited")
                .withUrlPrefixes(List.of("http://127.0.0.1:0/")).withMaxConnections(2L), new UrlPrefixRegistry());
        server.start(new KitApplication(ctx -> ctx.response().write("ok")));
        int port = URI.create(server.features().get(ServerAddressesFeature.class).addresses().get(0)).getPort();
        try (Socket first = open(port); Socket second = open(port)) {
            assertThat(RawHttp.body(request(first))).isEqualTo("ok");
            assertThat(RawHttp.body(request(second))).isEqualTo("ok");
            try (Socket third = open(port)) {
                third.getOutputStream().write(requestBytes());
                assertThat(readOrReset(third.getInputStream())).isEqualTo(-1);
            }
            // The two kept connections still work.
            assertThat(RawHttp.body(request(first))).isEqualTo("ok");
        } finally {
            server.stop(Duration.ofSeconds(1));
        }
    }

    private static int readOrReset(InputStream in) throws Exception {
        try {
            return in.read();
        } catch (SocketException reset) {
            return -1;
        }
    }

    private static Socket open(int port) throws Exception {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static byte[] requestBytes() {
        return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    }

    private static String request(Socket socket) throws Exception {
        socket.getOutputStream().write(requestBytes());
        return RawHttp.readResponse(socket.getInputStream());
    }
}
