package dev.lanner.module.internal.forwarding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import dev.lanner.http.HttpContext;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.server.HttpApplication;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The forwarder between the in-memory TestServer (the client side) and a scripted backend on a
 * loopback socket that answers each request with the bytes a test gives it and records what it
 * received: exact bytes both ways.
 */
@Timeout(30)
class ForwarderTest {

    private ServerSocket backend;
    private volatile UpstreamPool pool;
    private TestServer front;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Integer> connectionsAccepted = new CopyOnWriteArrayList<>();
    private volatile Duration timeout = Duration.ofSeconds(5);

    @BeforeEach
    void start() throws IOException {
        backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
        pool = new UpstreamPool(new InetSocketAddress(InetAddress.getLoopbackAddress(), backend.getLocalPort()));
        Forwarder forwarder = new Forwarder("t0k3n");
        front = new TestServer();
        front.start(new HttpApplication<HttpContext>() {
            @Override
            public HttpContext createContext(FeatureCollection features) {
                return new HttpContext(features);
            }

            @Override
            public void processRequest(HttpContext context) throws Exception {
                try {
                    forwarder.forward(context, pool, timeout);
                } catch (ForwardingException e) {
                    failure.set(e);
                    if (!e.responseStarted()) {
                        context.response().setStatusCode(e.kind() == ForwardingException.Kind.TIMEOUT ? 504 : 502);
                        context.response().write(e.kind().name());
                    }
                }
            }

            @Override
            public void disposeContext(HttpContext context, Throwable error) {
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        backend.close();
        front.stop(Duration.ofSeconds(1));
    }

    /** Serves connections: per request, reads a head (and a Content-Length or chunked body), answers the next scripted bytes. */
    private void acceptLoop() {
        int n = 0;
        while (!backend.isClosed()) {
            try {
                Socket socket = backend.accept();
                connectionsAccepted.add(++n);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            while (true) {
                String request = readRequest(in);
                if (request == null) {
                    return;
                }
                received.add(request);
                String answer = answers.poll(10, TimeUnit.SECONDS);
                if (answer == null || answer.equals("CLOSE")) {
                    return;
                }
                socket.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                if (answer.endsWith("<eof>")) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test ends the connection
        }
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String lower = text.toLowerCase();
        int cl = lower.indexOf("\r\ncontent-length: ");
        if (cl >= 0) {
            int length = Integer.parseInt(lower.substring(cl + 18, lower.indexOf("\r\n", cl + 2)).trim());
            return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
        }
        if (lower.contains("\r\ntransfer-encoding: chunked\r\n")) {
            StringBuilder body = new StringBuilder(text);
            while (true) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) != '\n') {
                    line.append((char) c);
                }
                body.append(line).append('\n');
                int size = Integer.parseInt(line.toString().trim(), 16);
                if (size == 0) {
                    body.append(new String(in.readNBytes(2), StandardCharsets.ISO_8859_1));
                    return body.toString();
                }
                body.append(new String(in.readNBytes(size + 2), StandardCharsets.ISO_8859_1));
            }
        }
        return text;
    }

    private TestResponse send(TestRequest request) throws IOException {
        return front.client().send(request);
    }

    @Test
    void forwardsTheRequestHeadWithForwardedFieldsAndTheTokenAndDropsHopByHopAndLannerFields() throws Exception {
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        TestResponse response = send(TestRequest.get("/a/b?x=1").header("Host", "shop.example")
                .header("Connection", "X-Hop").header("X-Hop", "1").header("Keep-Alive", "timeout=5")
                .header("Lanner-Token", "forged").header("Lanner-Anything", "x").header("X-Forwarded-For", "6.6.6.6")
                .header("Accept", "text/plain"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("ok");
        String head = received.getFirst();
        assertThat(head).startsWith("GET /a/b?x=1 HTTP/1.1\r\nHost: shop.example\r\n");
        assertThat(head).contains("\r\nAccept: text/plain\r\n", "\r\nX-Forwarded-Proto: http\r\n",
                "\r\nX-Forwarded-Host: shop.example\r\n", "\r\nLanner-Token: t0k3n\r\n");
        assertThat(head).doesNotContain("X-Hop", "Keep-Alive", "forged", "Lanner-Anything", "6.6.6.6", "Connection");
        assertThat(head).endsWith("\r\n\r\n");
    }

    @Test
    void theBackendsDateAndServerAreNotPassedOnButItsOtherFieldsAre() throws Exception {
        answers.add("HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nServer: backend/1\r\n"
                + "X-App: yes\r\nContent-Length: 2\r\n\r\nok");
        TestResponse response = send(TestRequest.get("/"));
        assertThat(response.header("X-App")).isEqualTo("yes");
        assertThat(response.headers().getAll("Server")).doesNotContain("backend/1");
        assertThat(response.headers().getAll("Date")).doesNotContain("Thu, 01 Jan 1970 00:00:00 GMT");
    }

    @Test
    void keepsUsingOnePooledConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            answers.add("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + i);
            assertThat(send(TestRequest.get("/")).bodyAsString()).isEqualTo(Integer.toString(i));
        }
        assertThat(connectionsAccepted).containsExactly(1);
    }

    @Test
    void relaysAChunkedResponseAndSkipsItsTrailers() throws Exception {
        answers.add("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-B: 1\r\n\r\n5;ext=1\r\nhello\r\n1\r\n!\r\n0\r\nT: x\r\n\r\n");
        TestResponse response = send(TestRequest.get("/"));
        assertThat(response.bodyAsString()).isEqualTo("hello!");
        assertThat(response.header("X-B")).isEqualTo("1");
        assertThat(response.header("Transfer-Encoding")).isNull();
        // The connection stays usable after the chunked body.
        answers.add("HTTP/1.1 204 No Content\r\n\r\n");
        assertThat(send(TestRequest.get("/")).statusCode()).isEqualTo(204);
        assertThat(connectionsAccepted).containsExactly(1);
    }

    @Test
    void relaysACloseDelimitedBodyAndOpensANewConnectionAfterIt() throws Exception {
        answers.add("HTTP/1.1 200 OK\r\n\r\nuntil the end<eof>");
        assertThat(send(TestRequest.get("/")).bodyAsString()).isEqualTo("until the end<eof>");
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(send(TestRequest.get("/")).bodyAsString()).isEqualTo("ok");
        assertThat(connectionsAccepted).containsExactly(1, 2);
    }

    @Test
    void forwardsABodyOfKnownLengthAndEchoesTheResponse() throws Exception {
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nthanks");
        TestResponse response = send(TestRequest.post("/echo").header("Content-Length", "11").body("hello world"));
        assertThat(response.bodyAsString()).isEqualTo("thank");
        assertThat(received.getFirst()).contains("\r\nContent-Length: 11\r\n\r\nhello world");
    }

    @Test
    void skipsInterimResponses() throws Exception {
        answers.add("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx");
        TestResponse response = send(TestRequest.get("/"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).isEqualTo("x");
    }

    @Test
    void aPooledConnectionTheBackendClosedIsRetriedOnANewOneForABodilessRequest() throws Exception {
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na");
        assertThat(send(TestRequest.get("/")).bodyAsString()).isEqualTo("a");
        answers.add("CLOSE"); // the backend closes the idle connection when the next request arrives
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
        assertThat(send(TestRequest.get("/")).bodyAsString()).isEqualTo("b");
        assertThat(connectionsAccepted).containsExactly(1, 2);
    }

    @Test
    void anInvalidResponseIsABadResponse() throws Exception {
        answers.add("HTTP/1.1 2x0 Nope\r\n\r\n");
        TestResponse response = send(TestRequest.get("/"));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.bodyAsString()).isEqualTo("BAD_RESPONSE");
    }

    @Test
    void noResponseWithinTheTimeoutIsATimeout() throws Exception {
        timeout = Duration.ofMillis(300);
        // No answer queued: the backend waits (up to 10 s) while the forwarder gives up after 300 ms.
        TestResponse response = send(TestRequest.get("/slow"));
        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.bodyAsString()).isEqualTo("TIMEOUT");
    }

    @Test
    void aBackendThatIsNotListeningIsAConnectFailure() throws Exception {
        // A port nothing listens on: taken, then given back (no accept loop ever ran on it).
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        pool.close();
        pool = new UpstreamPool(new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort));
        TestResponse response = send(TestRequest.get("/"));
        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.bodyAsString()).as("%s", failure.get()).isEqualTo("CONNECT_FAILED");
    }

    @Test
    void aBodyCutShortIsAConnectionLostAfterTheResponseStarted() throws Exception {
        answers.add("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this<eof>");
        try {
            send(TestRequest.get("/"));
        } catch (IOException aborted) {
            // the client's response may end abruptly
        }
        assertThat(failure.get()).isInstanceOf(ForwardingException.class);
        ForwardingException e = (ForwardingException) failure.get();
        assertThat(e.kind()).isEqualTo(ForwardingException.Kind.CONNECTION_LOST);
    }

    @Test
    void droppedFieldNamesAreRecognisedWhateverTheirCase() {
        for (String name : List.of("TE", "host", "EXPECT", "Upgrade", "trailer", "CONNECTION", "keep-alive",
                "content-length", "X-Forwarded-For", "x-forwarded-host", "Proxy-Connection", "X-FORWARDED-PROTO",
                "transfer-encoding", "lanner-token", "Lanner-Event", ":authority")) {
            assertThat(Forwarder.isDroppedRequestField(name)).as(name).isTrue();
        }
        for (String name : List.of("Accept", "Cookie", "X-Forwarded-Prefix", "Lanner", "User-Agent", "Forwarded")) {
            assertThat(Forwarder.isDroppedRequestField(name)).as(name).isFalse();
        }
    }
}
