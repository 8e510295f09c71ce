package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.server.EndpointOptions;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.diagnostics.RecordingObserver;
import dev.lanner.server.e2e.Await;
import dev.lanner.server.e2e.PipelineApplication;
import dev.lanner.server.e2e.RawConnection;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An HTTPS endpoint reports each handshake's start and end (with its protocol) and each failed one as a rejection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsHandshakeEventsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    private static ServerCertificate localhost;

    private final RecordingObserver observer = new RecordingObserver();
    private LannerServer server;

    @BeforeAll
    static void createCertificate() {
        localhost = TestCertificates.create(dir, "localhost", "localhost", "dns:localhost", "ip:127.0.0.1");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private int start() throws Exception {
        server = new LannerServer(LannerServerOptions.defaults().withEndpoint(EndpointOptions.of("https://127.0.0.1:0")
                .withTls(TlsOptions.of(ServerCertificateSource.of(localhost)))));
        server.setObserver(observer);
        server.start(new PipelineApplication(ctx -> ctx.response().write("ok")));
        String address = server.features().get(ServerAddressesFeature.class).addresses().get(0);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    @Test
    void aHandshakeIsReportedWithItsProtocol() throws Exception {
        int port = start();
        try (TlsClient tls = TlsClient.connect(port, List.of(localhost), null, p -> p.setProtocols(new String[] {"TLSv1.3"}))) {
            assertThat(tls.get("/").status()).isEqualTo(200);
        }
        Await.until("the connection's end", WAIT, () -> !observer.events("ended").isEmpty());
        assertThat(observer.events("tls")).containsExactly("tls started", "tls ended TLSv1.3");
        assertThat(observer.events("rejected")).isEmpty();
        assertThat(observer.events("ended").get(0)).endsWith(" 1.1");
    }

    @Test
    void theClientHellosTaskRunsOnTheHandshakeThreadsNotOnTheConnectionsThread() throws Exception {
        int port = start();
        long before = TlsConnectionMiddleware.HandshakeWorkers.POOL.getCompletedTaskCount();
        try (TlsClient tls = TlsClient.connect(port, List.of(localhost), null, p -> p.setProtocols(new String[] {"TLSv1.3"}))) {
            assertThat(tls.get("/").status()).isEqualTo(200);
        }
        // One task per handshake: the ClientHello's (key exchange and signature); the Finished runs on the connection's thread.
        // (The worker counts a task just after the waiting connection has been released.)
        Await.until("the handshake thread's count", WAIT,
                () -> TlsConnectionMiddleware.HandshakeWorkers.POOL.getCompletedTaskCount() > before);
        assertThat(TlsConnectionMiddleware.HandshakeWorkers.POOL.getCompletedTaskCount()).isEqualTo(before + 1);
        assertThat(Thread.getAllStackTraces().keySet()).anySatisfy(t -> assertThat(t.getName()).startsWith("lanner-tls-handshake-"));
    }

    @Test
    void plainHttpToTheHttpsPortIsAFailedHandshakeAndARejection() throws Exception {
        int port = start();
        try (RawConnection plain = RawConnection.open("127.0.0.1", port)) {
            plain.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            plain.readToEnd();
        }
        Await.until("the connection's end", WAIT, () -> !observer.events("ended").isEmpty());
        String id = observer.events("started").get(0).substring("started ".length());
        assertThat(observer.events("tls")).containsExactly("tls started", "tls ended null");
        assertThat(observer.events("rejected")).containsExactly("rejected " + id + " TLS_HANDSHAKE_FAILED");
        assertThat(observer.events("ended")).containsExactly("ended " + id + " null");
    }
}
