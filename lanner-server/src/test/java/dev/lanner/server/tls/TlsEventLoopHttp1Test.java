package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.server.e2e.RunningServer;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTPS/1.1 served inline on the event loop ({@link TlsEventLoopConnection} under
 * {@code Http1Connection}), over real sockets with the JDK's TLS client: pipelining that leaves
 * records held in the TLS layer, responses larger than the socket buffers for a slow reader,
 * bodies that send a request to the connection's thread and back, KeyUpdate amid traffic, and
 * both sides' close_notify.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsEventLoopHttp1Test {

    @TempDir
    static Path dir;
    private static ServerCertificate localhost;

    @BeforeAll
    static void createCertificate() {
        localhost = TestCertificates.create(dir, "localhost", "localhost", "dns:localhost", "ip:127.0.0.1");
    }

    private static TlsOptions options() {
        return TlsOptions.of(ServerCertificateSource.of(localhost));
    }

    /** A started server: inline (non-blocking application) or with a blocking application. */
    private record Server(int port, AutoCloseable server) implements AutoCloseable {
        static Server start(boolean inline) throws IOException {
            if (inline) {
                TlsTestServers.InlineServer server = TlsTestServers.startInline(options());
                return new Server(server.port(), server);
            }
            RunningServer server = TlsTestServers.start(options());
            return new Server(server.port(), server);
        }

        TlsClient connect() throws IOException {
            return TlsClient.connect(port, List.of(localhost));
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs {@code sends} on a thread of its own: a client that writes everything before it reads. */
    private static CompletableFuture<Void> sending(IoAction sends) {
        return CompletableFuture.runAsync(() -> {
            try {
                sends.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    void servesRequestsInlineOnTheEventLoop() throws Exception {
        try (Server server = Server.start(true); TlsClient client = server.connect()) {
            assertThat(client.get("/thread").text()).startsWith("lanner-loop-");
            assertThat(client.get("/info").text()).startsWith("TLSv1.3|").endsWith("|https");
        }
    }

    @ParameterizedTest(name = "inline={0}")
    @ValueSource(booleans = {true, false})
    void answersTwoHundredPipelinedRequestsSentAsSeparateRecords(boolean inline) throws Exception {
        int count = 200;
        try (Server server = Server.start(inline); TlsClient client = server.connect()) {
            String padding = "p".repeat(1500);
            // Each write is a record of its own: the server pulls many at once and delivers them in turns.
            CompletableFuture<Void> sent = sending(() -> {
                for (int i = 0; i < count; i++) {
                    client.send(ascii("GET /bytes?n=" + length(i) + " HTTP/1.1\r\nHost: localhost\r\nX-Padding: "
                            + padding + "\r\n\r\n"));
                }
            });
            for (int i = 0; i < count; i++) {
                TlsClient.Response response = client.readResponse();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).as("response %d", i).isEqualTo(PatternBytes.of(length(i)));
            }
            sent.get(30, TimeUnit.SECONDS);
        }
    }

    private static int length(int request) {
        return 1 + (request * 7919) % 30_000;
    }

    @Test
    void sendsSeveralMebibytesPerResponseToAClientThatReadsSlowly() throws Exception {
        int size = 4 << 20;
        try (Server server = Server.start(true); TlsClient client = server.connect()) {
            String get = "GET /bytes?n=" + size + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
            client.send(ascii(get + get + get + "GET /thread HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            // The server fills the socket buffers and keeps the rest until the client reads.
            Thread.sleep(500);
            InputStream in = client.socket().getInputStream();
            ByteArrayOutputStream start = new ByteArrayOutputStream();
            byte[] chunk = new byte[4096];
            for (int i = 0; i < 50; i++) {
                assertThat(in.readNBytes(chunk, 0, chunk.length)).isEqualTo(chunk.length);
                start.write(chunk);
                Thread.sleep(2);
            }
            byte[] slowly = start.toByteArray();
            // The first response's remainder, then the others whole.
            TlsClient.Response firstResponse = readRest(slowly, in);
            assertThat(firstResponse.status()).isEqualTo(200);
            assertThat(firstResponse.body()).isEqualTo(PatternBytes.of(size));
            for (int i = 0; i < 2; i++) {
                assertThat(client.readResponse().body()).isEqualTo(PatternBytes.of(size));
            }
            assertThat(client.readResponse().text()).startsWith("lanner-loop-");
        }
    }

    /** Finishes reading a response whose first bytes are {@code start}. */
    private static TlsClient.Response readRest(byte[] start, InputStream in) throws IOException {
        String text = new String(start, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n") + 4;
        String head = text.substring(0, headEnd);
        int length = Integer.parseInt(head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .findFirst().orElseThrow().substring(15).trim());
        ByteArrayOutputStream body = new ByteArrayOutputStream(length);
        body.write(start, headEnd, start.length - headEnd);
        body.write(in.readNBytes(length - body.size()));
        return new TlsClient.Response(Integer.parseInt(head.substring(9, 12)), head, body.toByteArray());
    }

    @Test
    void collectsABodyThatArrivesInPiecesAndRunsTheRequestInline() throws Exception {
        byte[] body = PatternBytes.of(60 * 1024);
        try (Server server = Server.start(true); TlsClient client = server.connect()) {
            client.send(ascii("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n"));
            for (int off = 0; off < body.length; off += 10_000) {
                client.send(java.util.Arrays.copyOfRange(body, off, Math.min(body.length, off + 10_000)));
                Thread.sleep(5);
            }
            assertThat(client.readResponse().body()).isEqualTo(body);
            assertThat(client.get("/thread").text()).startsWith("lanner-loop-");
        }
    }

    @Test
    void aLargeBodyGoesToTheConnectionsThreadAndTheLoopTakesTheConnectionBack() throws Exception {
        byte[] body = PatternBytes.of(3 << 20);
        try (Server server = Server.start(true); TlsClient client = server.connect()) {
            CompletableFuture<Void> sent = sending(() -> {
                client.send(ascii("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n"));
                client.send(body);
                client.send(ascii("GET /bytes?n=10 HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            });
            TlsClient.Response echoed = client.readResponse();
            assertThat(echoed.body()).isEqualTo(body);
            assertThat(client.readResponse().body()).isEqualTo(PatternBytes.of(10));
            sent.get(30, TimeUnit.SECONDS);
            assertThat(client.get("/thread").text()).startsWith("lanner-loop-");
        }
    }

    @Test
    void requestsPipelinedBehindAChunkedBodyAreAllAnswered() throws Exception {
        byte[] body = PatternBytes.of(200_000);
        try (Server server = Server.start(true); TlsClient client = server.connect()) {
            CompletableFuture<Void> sent = sending(() -> {
                client.send(ascii("POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"));
                for (int off = 0; off < body.length; off += 50_000) {
                    client.send(ascii(Integer.toHexString(50_000) + "\r\n"));
                    client.send(java.util.Arrays.copyOfRange(body, off, off + 50_000));
                    client.send(ascii("\r\n"));
                }
                client.send(ascii("0\r\n\r\n"));
                // Separate records right behind the body: some are read with it, on the connection's thread.
                for (int i = 0; i < 20; i++) {
                    client.send(ascii("GET /bytes?n=" + length(i) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                }
            });
            assertThat(client.readResponse().body()).isEqualTo(body);
            for (int i = 0; i < 20; i++) {
                assertThat(client.readResponse().body()).isEqualTo(PatternBytes.of(length(i)));
            }
            sent.get(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "inline={0}")
    @ValueSource(booleans = {true, false})
    void keepsServingWhileTheClientUpdatesItsKeys(boolean inline) throws Exception {
        int count = 40;
        try (Server server = Server.start(inline); TlsClient client = server.connect()) {
            assertThat(client.socket().getSession().getProtocol()).isEqualTo("TLSv1.3");
            CompletableFuture<Void> sent = sending(() -> {
                for (int i = 0; i < count; i++) {
                    byte[] body = PatternBytes.buffer(i, 48 * 1024).array();
                    client.send(ascii("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length
                            + "\r\n\r\n"));
                    client.send(body);
                    if (i % 5 == 2) {
                        // On TLS 1.3 this sends KeyUpdate(update_requested); the server answers from the loop.
                        client.socket().startHandshake();
                    }
                }
            });
            for (int i = 0; i < count; i++) {
                assertThat(client.readResponse().body()).as("response %d", i)
                        .isEqualTo(PatternBytes.buffer(i, 48 * 1024).array());
            }
            sent.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void answersARequestFollowedByTheClientsCloseNotify() throws Exception {
        try (Server server = Server.start(true); TlsClient client = server.connect()) {
            client.send(ascii("GET /bytes?n=100000 HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            // TLS 1.3 half-close: close_notify right behind the request, the client still reads.
            client.socket().shutdownOutput();
            assertThat(client.readResponse().body()).isEqualTo(PatternBytes.of(100_000));
            assertThat(readOrFail(client.socket().getInputStream())).isEqualTo(-1);
        }
    }

    @Test
    void closesWithCloseNotifyAfterALargeResponseToASlowReader() throws Exception {
        int size = 6 << 20;
        try (Server server = Server.start(true); TlsClient client = server.connect()) {
            client.send(ascii("GET /bytes?n=" + size + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
            // Most of the response waits on the server when it decides to close.
            Thread.sleep(500);
            TlsClient.Response response = client.readResponse();
            assertThat(response.head()).containsIgnoringCase("connection: close");
            assertThat(response.body()).isEqualTo(PatternBytes.of(size));
            // close_notify, then end of stream: the JDK client reports -1 only after a close_notify.
            assertThat(client.socket().getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void refusesTls12RenegotiationOnTheLoopByClosingTheConnection() throws Exception {
        try (Server server = Server.start(true);
             TlsClient client = TlsClient.connect(server.port(), List.of(localhost), null,
                     p -> p.setProtocols(new String[] {"TLSv1.2"}))) {
            assertThat(client.get("/thread").text()).startsWith("lanner-loop-");
            client.socket().startHandshake();
            assertThat(readOrFail(client.socket().getInputStream())).isEqualTo(-1);
        }
    }

    /** Reads a byte; a failed read (the server closed without close_notify) counts as end of stream. */
    private static int readOrFail(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }
}
