package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Listening: the addresses reported through {@link ServerAddressesFeature} (port 0 resolved),
 * {@code localhost}, IPv6, Unix domain sockets, and the failure to bind a port already in use.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class BindingEndToEndTest {

    private static final PipelineApplication INFO = new PipelineApplication(ctx -> ctx.response().write(
            "local=" + ctx.connection().localPort() + " remote=" + ctx.connection().remoteAddress()
                    + " host=" + ctx.request().host()));

    private static RunningServer start(String url) throws IOException {
        return RunningServer.start(LannerServerOptions.defaults(), INFO, url);
    }

    @Test
    void port0IsReportedAsTheRealPort() throws Exception {
        try (RunningServer server = start("http://127.0.0.1:0")) {
            assertThat(server.addresses()).hasSize(1);
            String address = server.addresses().get(0);
            assertThat(address).matches("http://127\\.0\\.0\\.1:\\d+");
            int port = server.port();
            assertThat(port).isPositive();
            try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().bodyText())
                        .startsWith("local=" + port + " remote=/127.0.0.1 ");
            }
        }
    }

    @Test
    void localhostIsReportedAsLocalhostAndListensOnTheLoopbacks() throws Exception {
        try (RunningServer server = start("http://localhost:0")) {
            int port = server.port();
            assertThat(server.addresses()).containsExactly("http://localhost:" + port);
            try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse().status()).isEqualTo(200);
            }
            if (ipv6LoopbackAvailable()) {
                try (RawConnection c = RawConnection.open("::1", port)) {
                    assertThat(c.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n").readResponse().bodyText())
                            .contains("remote=/0:0:0:0:0:0:0:1");
                }
            }
        }
    }

    @Test
    void portAlreadyInUseFailsStartWithAMessageNamingTheAddress() throws Exception {
        try (ServerSocket occupant = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = occupant.getLocalPort();
            LannerServer server = new LannerServer();
            server.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:" + port);
            assertThatThrownBy(() -> server.start(INFO))
                    .isInstanceOf(IOException.class)
                    .hasMessage("Failed to bind to address http://127.0.0.1:" + port + ": address already in use");
            server.stop(java.time.Duration.ZERO);
        }
    }

    @Test
    void secondServerOnTheSamePortFailsAndTheFirstKeepsServing() throws Exception {
        try (RunningServer first = start("http://127.0.0.1:0")) {
            LannerServer second = new LannerServer();
            second.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:" + first.port());
            assertThatThrownBy(() -> second.start(INFO)).hasMessageContaining("http://127.0.0.1:" + first.port())
                    .hasMessageContaining("address already in use");
            try (RawConnection c = first.connect()) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void httpsWithoutACertificateFailsStart() {
        LannerServer server = new LannerServer();
        server.features().get(ServerAddressesFeature.class).addresses().add("https://127.0.0.1:0");
        assertThatThrownBy(() -> server.start(INFO)).isInstanceOf(IOException.class)
                .hasMessageContaining("https://127.0.0.1:0").hasMessageContaining("certificate");
    }

    @Test
    void anHttpsEndpointThatCannotBeBuiltFailsStartAndReleasesThePlainEndpointThatWasAlreadyAccepting()
            throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        LannerServer server = new LannerServer();
        server.features().get(ServerAddressesFeature.class).addresses()
                .addAll(List.of("http://127.0.0.1:" + port, "https://127.0.0.1:0"));

        // The plain endpoint accepts before the HTTPS pipeline is built; the failure takes it down again.
        assertThatThrownBy(() -> server.start(INFO)).isInstanceOf(IOException.class)
                .hasMessageContaining("https://127.0.0.1:0").hasMessageContaining("certificate");
        try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        server.stop(java.time.Duration.ZERO);
    }

    @Test
    void ipv6LoopbackIsReportedInBrackets() throws Exception {
        Assumptions.assumeTrue(ipv6LoopbackAvailable(),
                "this machine has no IPv6 loopback (binding a socket to [::1] failed)");
        try (RunningServer server = start("http://[::1]:0")) {
            int port = server.port();
            assertThat(server.addresses()).containsExactly("http://[::1]:" + port);
            try (RawConnection c = RawConnection.open("::1", port)) {
                assertThat(c.send("GET / HTTP/1.1\r\nHost: [::1]\r\n\r\n").readResponse().bodyText())
                        .isEqualTo("local=" + port + " remote=/0:0:0:0:0:0:0:1 host=[::1]");
            }
            Assumptions.assumeTrue(Curl.isAvailable(), "curl is not installed");
            Curl.Result curl = Curl.run("-g", "http://[::1]:" + port + "/");
            assertThat(curl.exitCode()).as(curl.stderr()).isZero();
            assertThat(curl.stdout()).startsWith("local=" + port + " remote=/0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void unixDomainSocketServesCurlAndAChannelAndIsRemovedOnStop() throws Exception {
        Path socket = Path.of("/tmp", "lanner-e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        RunningServer server = start("http://unix:" + socket);
        try {
            assertThat(server.addresses()).containsExactly("http://unix:" + socket);
            assertThat(Files.exists(socket)).isTrue();
            try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.connect(UnixDomainSocketAddress.of(socket));
                channel.write(ByteBuffer.wrap("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer in = ByteBuffer.allocate(4096);
                while (channel.read(in) >= 0 && in.hasRemaining()) {
                    // until the server closes
                }
                String response = new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1);
                // No IP on a Unix socket: the connection feature says so with null / 0.
                assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nlocal=0 remote=null host=a");
            }
            Assumptions.assumeTrue(Curl.isAvailable(), "curl is not installed");
            Curl.Result curl = Curl.run("--unix-socket", socket.toString(), "http://localhost/");
            assertThat(curl.exitCode()).as(curl.stderr()).isZero();
            assertThat(curl.stdout()).isEqualTo("local=0 remote=null host=localhost");
        } finally {
            server.close();
        }
        assertThat(Files.exists(socket)).as("socket file removed on stop").isFalse();
    }

    @Test
    void staleUnixSocketFileFromAnEarlierRunIsReplaced() throws Exception {
        Path socket = Path.of("/tmp", "lanner-e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Files.writeString(socket, "stale");
        try (RunningServer server = start("http://unix:" + socket)) {
            assertThat(server.addresses()).containsExactly("http://unix:" + socket);
            Curl.Result curl = Curl.run("--unix-socket", socket.toString(), "http://localhost/");
            assertThat(curl.stdout()).startsWith("local=0");
        } finally {
            Files.deleteIfExists(socket);
        }
    }

    static boolean ipv6LoopbackAvailable() {
        try (ServerSocket probe = new ServerSocket()) {
            InetAddress loopback = InetAddress.getByName("::1");
            probe.bind(new InetSocketAddress(loopback, 0));
            return loopback instanceof Inet6Address;
        } catch (IOException e) {
            return false;
        }
    }
}
