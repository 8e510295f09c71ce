package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.diagnostics.RecordingObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain HTTP/1.1 connections on the event loop start without a thread (issue 16): over loopback, on
 * the event-loop transport whatever the suite's, with a non-blocking application they are served and
 * held with no {@code lanner-conn} virtual thread (the JDK's thread dump lists virtual threads); a
 * blocking request gets its connection's thread then; ends, timeouts and a graceful stop are reported
 * to the observer exactly once and empty the server's open connections.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThreadlessConnectionEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Pattern CONNECTION_THREAD = Pattern.compile("\"name\": \"(lanner-conn [^\"]+)\"");

    private final RecordingObserver observer = new RecordingObserver();
    private LannerServer server;
    @TempDir
    Path dumps;
    private int dumpCount;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    /** Starts on the event loop; "/block" answers from a blocking application's thread, else inline. */
    private int start(ServerLimits limits) throws Exception {
        server = new LannerServer(LannerServerOptions.defaults().withLimits(limits));
        server.setObserver(observer);
        server.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:0");
        server.start(new NonBlockingUnlessAsked());
        String address = server.features().get(ServerAddressesFeature.class).addresses().get(0);
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /**
     * The names of this server's live {@code lanner-conn} threads (other tests' servers may share the
     * JVM), from the JDK's JSON thread dump
     * ({@code HotSpotDiagnosticMXBean.dumpThreads}; by reflection, as the tests compile inside the
     * server's module, which does not read jdk.management).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private List<String> connectionThreads() throws Exception {
        Path file = dumps.resolve("threads-" + dumpCount++ + ".json");
        Class<?> bean = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
        Class<? extends Enum> format = (Class<? extends Enum>) Class.forName(
                "com.sun.management.HotSpotDiagnosticMXBean$ThreadDumpFormat");
        Object diagnostics = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getPlatformMXBean", Class.class).invoke(null, bean);
        bean.getMethod("dumpThreads", String.class, format).invoke(diagnostics, file.toString(), Enum.valueOf(format, "JSON"));
        List<String> ours = new ArrayList<>();
        for (String started : observer.events("started")) {
            ours.add("lanner-conn " + started.substring("started ".length()));
        }
        List<String> names = new ArrayList<>();
        Matcher m = CONNECTION_THREAD.matcher(Files.readString(file));
        while (m.find()) {
            if (ours.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** A request that must block: its chunked body is not known to be in the buffer. */
    private static final String BLOCK = "POST /block HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n";
    }

    private void awaitEnded(int count) throws Exception {
        Await.until(count + " ended, have " + observer.events(), WAIT, () -> observer.events("ended").size() >= count);
        Await.until("no open connection", WAIT, () -> server.openConnections() == 0);
    }

    @Test
    void idleConnectionsAreServedAndHeldWithoutAThread() throws Exception {
        int port = start(ServerLimits.defaults());
        List<RawConnection> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawConnection c = RawConnection.open("127.0.0.1", port);
                clients.add(c);
                RawResponse r = c.send(get("/")).readResponse();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.bodyText()).startsWith("lanner-loop-");
            }
            assertThat(server.openConnections()).isEqualTo(3);
            assertThat(connectionThreads()).isEmpty();
            assertThat(observer.events("started")).hasSize(3);
            assertThat(observer.events("ended")).isEmpty();
        } finally {
            for (RawConnection c : clients) {
                c.close();
            }
        }
        awaitEnded(3);
        List<String> started = observer.events("started");
        List<String> expected = new ArrayList<>();
        for (String s : started) {
            expected.add("ended " + s.substring("started ".length()) + " 1.1");
        }
        assertThat(observer.events("ended")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(observer.events("queued")).hasSize(3);
    }

    @Test
    void aBlockingRequestGetsTheConnectionsThreadThenAndKeepsIt() throws Exception {
        int port = start(ServerLimits.defaults());
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            assertThat(c.send(get("/")).readResponse().bodyText()).startsWith("lanner-loop-");
            String id = observer.events("started").get(0).substring("started ".length());
            assertThat(connectionThreads()).isEmpty();

            assertThat(c.send(BLOCK).readResponse().bodyText()).isEqualTo("lanner-conn " + id);
            assertThat(c.send(get("/")).readResponse().bodyText()).startsWith("lanner-loop-");
            assertThat(c.send(BLOCK).readResponse().bodyText()).isEqualTo("lanner-conn " + id);
            assertThat(connectionThreads()).containsExactly("lanner-conn " + id);
        }
        awaitEnded(1);
        assertThat(observer.events("ended")).hasSize(1);
        Await.until("the connection's thread ended", WAIT, () -> connectionThreads().isEmpty());
    }

    @Test
    void theKeepAliveTimeoutClosesAnIdleConnection() throws Exception {
        int port = start(ServerLimits.defaults().withKeepAliveTimeout(Duration.ofSeconds(1)));
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            assertThat(c.send(get("/")).readResponse().status()).isEqualTo(200);
            assertThat(c.isClosedByServer(WAIT)).isTrue();
        }
        awaitEnded(1);
        assertThat(observer.events("ended")).hasSize(1);
    }

    @Test
    void anIncompleteHeadIsAnswered408AfterTheRequestHeadersTimeout() throws Exception {
        int port = start(ServerLimits.defaults().withRequestHeadersTimeout(Duration.ofSeconds(1)));
        try (RawConnection c = RawConnection.open("127.0.0.1", port)) {
            assertThat(c.send("GET / HTTP/1.1\r\n").readResponse().status()).isEqualTo(408);
            assertThat(c.isClosedByServer(WAIT)).isTrue();
        }
        awaitEnded(1);
    }

    @Test
    void aGracefulStopClosesIdleConnectionsAtOnce() throws Exception {
        int port = start(ServerLimits.defaults());
        try (RawConnection a = RawConnection.open("127.0.0.1", port);
             RawConnection b = RawConnection.open("127.0.0.1", port)) {
            assertThat(a.send(get("/")).readResponse().status()).isEqualTo(200);
            assertThat(b.send(BLOCK).readResponse().status()).isEqualTo(200);
            long start = System.nanoTime();
            server.stop(Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(a.isClosedByServer(WAIT)).isTrue();
            assertThat(b.isClosedByServer(WAIT)).isTrue();
        }
        assertThat(server.openConnections()).isZero();
        assertThat(observer.events("ended")).hasSize(2);
    }

    /**
     * Non-blocking: answers with the name of the thread that ran it. A request with a chunked body
     * ({@link #BLOCK}) cannot run inline, so it goes to the connection's thread.
     */
    private static final class NonBlockingUnlessAsked implements HttpApplication<HttpContext> {
        @Override
        public boolean isNonBlocking() {
            return true;
        }

        @Override
        public HttpContext createContext(FeatureCollection features) {
            return new HttpContext(features);
        }

        @Override
        public void processRequest(HttpContext context) throws Exception {
            context.response().write(Thread.currentThread().getName());
        }

        @Override
        public void disposeContext(HttpContext context, Throwable error) {
        }
    }
}
