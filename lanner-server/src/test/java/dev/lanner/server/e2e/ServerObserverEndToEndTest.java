package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.diagnostics.RecordingObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a running server reports to its observer over real loopback connections: each connection queued,
 * started and ended once with its protocol version, a connection beyond the limit rejected, a bad request
 * rejected once. Events come from the server's threads, so the test waits for the connection's end.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServerObserverEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final RecordingObserver observer = new RecordingObserver();
    private LannerServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private int start(ServerLimits limits) throws Exception {
        LannerServerOptions options = LannerServerOptions.defaults().withLimits(limits);
        if ("blocking".equals(System.getProperty("lanner.test.transport"))) {
            options = options.withTransport(LannerServerOptions.TransportKind.BLOCKING);
        }
        server = new LannerServer(options);
        server.setObserver(observer);
        server.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:0");
        server.start(new PipelineApplication(ctx -> ctx.response().write("ok")));
        String address = server.features().get(ServerAddressesFeature.class).addresses().get(0);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private void awaitEvents(String prefix, int count) throws Exception {
        Await.until(count + " '" + prefix + "' events, have " + observer.events(), WAIT,
                () -> observer.events(prefix).size() >= count);
    }

    @Test
    void aConnectionIsQueuedStartedAndEndedOnceWithItsProtocol() throws Exception {
        int port = start(ServerLimits.defaults());
        try (RawConnection connection = RawConnection.open("127.0.0.1", port)) {
            for (int i = 0; i < 3; i++) {
                assertThat(connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
            }
        }
        awaitEvents("ended", 1);
        List<String> events = observer.events();
        assertThat(events).hasSize(3);
        assertThat(events.get(0)).isEqualTo("queued");
        assertThat(events.get(1)).matches("started [0-9A-Z]+:1");
        assertThat(events.get(2)).isEqualTo("ended " + events.get(1).substring("started ".length()) + " 1.1");
    }

    @Test
    void aConnectionBeyondTheLimitIsRejectedAndEndsWithoutAProtocol() throws Exception {
        int port = start(ServerLimits.defaults().withMaxConcurrentConnections(1L));
        try (RawConnection first = RawConnection.open("127.0.0.1", port)) {
            assertThat(first.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse().status()).isEqualTo(200);
            try (RawConnection second = RawConnection.open("127.0.0.1", port)) {
                assertThat(second.isClosedByServer(WAIT)).isTrue();
            }
            awaitEvents("ended", 1);
            String secondId = observer.events("started").get(1).substring("started ".length());
            assertThat(observer.events("rejected")).containsExactly("rejected " + secondId + " CONNECTION_LIMIT");
            assertThat(observer.events("ended")).containsExactly("ended " + secondId + " null");
        }
        awaitEvents("ended", 2);
        assertThat(observer.events("queued")).hasSize(2);
    }

    @Test
    void aBadRequestIsRejectedOnce() throws Exception {
        int port = start(ServerLimits.defaults());
        try (RawConnection connection = RawConnection.open("127.0.0.1", port)) {
            assertThat(connection.send("GET / HTTP/1.1\r\n\r\n").readResponse().status()).isEqualTo(400);
        }
        awaitEvents("ended", 1);
        String id = observer.events("started").get(0).substring("started ".length());
        assertThat(observer.events("rejected")).containsExactly("rejected " + id + " INVALID_REQUEST_HEADERS");
    }
}
