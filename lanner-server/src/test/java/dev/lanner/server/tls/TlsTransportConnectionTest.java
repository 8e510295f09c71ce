package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.server.ConnectionContext;
import dev.lanner.server.ConnectionHandler;
import dev.lanner.server.LannerServerOptions.TransportKind;
import dev.lanner.server.e2e.RunningServer;
import dev.lanner.server.transport.EventLoopConnection;
import dev.lanner.server.transport.EventLoopTransport;
import dev.lanner.server.transport.ReadinessListener;
import dev.lanner.server.transport.SocketTransport;
import dev.lanner.server.transport.Transport;
import dev.lanner.server.transport.TransportConnection;
import dev.lanner.server.transport.TransportListener;
import dev.lanner.tls.ServerCertificate;
import dev.lanner.tls.ServerCertificateSource;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decrypting transport under real load over loopback, on both transports: large and concurrent
 * transfers, post-handshake messages, half-closes, small reader buffers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTransportConnectionTest {

    @TempDir
    static Path dir;
    private static ServerCertificate localhost;

    private Transport transport;
    private TransportListener listener;

    @BeforeAll
    static void createCertificate() {
        localhost = TestCertificates.create(dir, "localhost", "localhost", "dns:localhost", "ip:127.0.0.1");
    }

    @AfterEach
    void closeListener() throws Exception {
        if (listener != null) {
            listener.close();
        }
        if (transport instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Accepts one connection on {@code kind}, runs the TLS middleware on it, then {@code handler}. */
    private CompletableFuture<Void> serveOne(TransportKind kind, TlsOptions options, ConnectionHandler handler)
            throws IOException {
        transport = kind == TransportKind.BLOCKING ? new SocketTransport() : new EventLoopTransport(1, 16);
        listener = transport.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TlsConnectionMiddleware middleware = new TlsConnectionMiddleware(options);
        CompletableFuture<Void> served = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (TransportConnection accepted = listener.accept()) {
                ConnectionContext connection = new ConnectionContext("test", accepted);
                try {
                    middleware.invoke(connection, handler);
                } finally {
                    connection.transport().close();
                }
                served.complete(null);
            } catch (Throwable e) {
                served.completeExceptionally(e);
            }
        });
        return served;
    }

    private int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    private static TlsOptions options() {
        return TlsOptions.of(ServerCertificateSource.of(localhost));
    }

    /** Reads {@code total} bytes through {@code buffer}-sized reads and checks each against the pattern. */
    private static void readPattern(TransportConnection connection, long total, int bufferSize) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bufferSize);
        long position = 0;
        while (position < total) {
            buffer.clear();
            int n = connection.read(buffer);
            if (n < 0) {
                throw new IOException("end of stream after " + position + " of " + total + " bytes");
            }
            PatternBytes.check(buffer.flip(), position);
            position += n;
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void carriesEightMebibytesEachWayConcurrentlyWhileTheClientUpdatesItsKeys(TransportKind kind) throws Exception {
        long total = 8L << 20;
        CompletableFuture<Void> served = serveOne(kind, options(), connection -> {
            TransportConnection tls = connection.transport();
            // The writer thread sends varied gathering writes while this thread reads.
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    long position = 0;
                    int step = 1;
                    while (position < total) {
                        int first = (int) Math.min(total - position, 100 + (step * 7919) % 40_000);
                        int second = (int) Math.min(total - position - first, step % 3 == 0 ? 5_000 : 0);
                        tls.write(PatternBytes.buffer(position, first), PatternBytes.buffer(position + first, second));
                        position += first + second;
                        step++;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, Thread::startVirtualThread);
            readPattern(tls, total, 8 * 1024);
            writer.get(30, TimeUnit.SECONDS);
        });
        try (TlsClient client = TlsClient.connect(port(), List.of(localhost))) {
            SSLSocket socket = client.socket();
            // The server must answer each KeyUpdate from its reading thread while its writer writes.
            CompletableFuture<Void> upload = upload(socket, total, total / 2, 0);
            PatternBytes.expect(socket.getInputStream(), total);
            upload.get(30, TimeUnit.SECONDS);
        }
        served.get(30, TimeUnit.SECONDS);
    }

    /**
     * The same traffic served inline on the event loop with the non-blocking calls: an echo that
     * reads into a buffer of {@code bufferSize} and stops reading while the client does not take
     * what it wrote. The client uploads while it reads, updating its keys (the loop answers), then
     * sends close_notify; the echo answers with its own.
     */
    @ParameterizedTest(name = "buffer={0}")
    @ValueSource(ints = {100, 8 * 1024, 64 * 1024})
    void echoesEightMebibytesInlineOnTheEventLoopWhileTheClientUpdatesItsKeys(int bufferSize) throws Exception {
        long total = 8L << 20;
        InlineEcho[] echo = new InlineEcho[1];
        CompletableFuture<Void> served = serveOne(TransportKind.EVENT_LOOP, options(), connection -> {
            echo[0] = new InlineEcho((EventLoopConnection) connection.transport(), bufferSize);
            echo[0].start().get(30, TimeUnit.SECONDS);
        });
        try (TlsClient client = TlsClient.connect(port(), List.of(localhost))) {
            SSLSocket socket = client.socket();
            // Many small records in one burst at the end: most of them wait in the TLS layer.
            CompletableFuture<Void> upload = upload(socket, total, 2 << 20, 1000);
            PatternBytes.expect(socket.getInputStream(), total + 7000);
            upload.get(30, TimeUnit.SECONDS);
            socket.shutdownOutput();
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        served.get(30, TimeUnit.SECONDS);
        assertThat(echo[0].echoed).isEqualTo(total + 7000);
    }

    /**
     * Uploads {@code total} pattern bytes in 64 KiB writes, sending KeyUpdate(update_requested) —
     * what {@code startHandshake()} does on an established TLS 1.3 connection — at each multiple of
     * {@code keyUpdateEvery}, then {@code smallRecords} records of 7 bytes.
     */
    private static CompletableFuture<Void> upload(SSLSocket socket, long total, long keyUpdateEvery, int smallRecords) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (long position = 0; position < total; position += 64 * 1024) {
                    out.write(PatternBytes.buffer(position, 64 * 1024).array());
                    if (position % keyUpdateEvery == 0) {
                        socket.startHandshake();
                    }
                }
                for (int i = 0; i < smallRecords; i++) {
                    out.write(PatternBytes.buffer(total + i * 7L, 7).array());
                }
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, Thread::startVirtualThread);
    }

    /** Echoes on the loop thread with the non-blocking calls; completes when the client's input ends. */
    private static final class InlineEcho implements ReadinessListener {
        private final EventLoopConnection connection;
        private final ByteBuffer buffer;
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private boolean ended;
        long echoed;

        InlineEcho(EventLoopConnection connection, int bufferSize) {
            this.connection = connection;
            this.buffer = ByteBuffer.allocate(bufferSize);
        }

        CompletableFuture<Void> start() {
            connection.setListener(this);
            connection.armRead();
            return done;
        }

        @Override
        public void onReadable() {
            try {
                if (!connection.inEventLoop()) {
                    throw new IllegalStateException("called off the event loop");
                }
                if (connection.readNow(buffer) < 0) {
                    ended = true;
                }
                echo();
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onWritable() {
            try {
                echo();
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        @Override
        public void onClosed() {
            done.completeExceptionally(new IOException("closed"));
        }

        private void echo() throws IOException {
            buffer.flip();
            int n;
            while (buffer.hasRemaining() && (n = connection.writeNow(buffer)) > 0) {
                echoed += n;
            }
            buffer.compact();
            if (buffer.position() > 0) {
                // The client is not reading: stop reading until it does.
                connection.disarmRead();
                connection.armWrite();
            } else if (ended) {
                connection.shutdownOutput();
                done.complete(null);
            } else {
                connection.armRead();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void deliversRecordsLargerThanTheReadersBuffer(TransportKind kind) throws Exception {
        long total = 256 * 1024;
        CompletableFuture<Void> served = serveOne(kind, options(), connection ->
                readPattern(connection.transport(), total, 100));
        try (TlsClient client = TlsClient.connect(port(), List.of(localhost))) {
            client.send(PatternBytes.buffer(0, (int) total).array());
            served.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void readReturnsEndOfStreamAfterTheClientsCloseNotify() throws Exception {
        CompletableFuture<Integer> lastRead = new CompletableFuture<>();
        CompletableFuture<Void> served = serveOne(TransportKind.EVENT_LOOP, options(), connection -> {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            int n = connection.transport().read(buffer);
            assertThat(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII)).isEqualTo("bye");
            lastRead.complete(connection.transport().read(buffer));
        });
        try (TlsClient client = TlsClient.connect(port(), List.of(localhost))) {
            client.send("bye".getBytes(StandardCharsets.US_ASCII));
            // TLS 1.3 half-close: close_notify, the connection stays open for reading.
            client.socket().shutdownOutput();
            assertThat(lastRead.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void shutdownInputMakesABlockedReadReturnEndOfStream(TransportKind kind) throws Exception {
        CompletableFuture<Integer> blockedRead = new CompletableFuture<>();
        CompletableFuture<Void> served = serveOne(kind, options(), connection -> {
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    blockedRead.complete(connection.transport().read(ByteBuffer.allocate(64)));
                } catch (IOException e) {
                    blockedRead.completeExceptionally(e);
                }
            });
            // The reader has nothing to read; give it time to block, then wake it.
            assertThatThrownBy(() -> blockedRead.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            connection.transport().shutdownInput();
            reader.join();
        });
        try (TlsClient client = TlsClient.connect(port(), List.of(localhost))) {
            assertThat(blockedRead.get(10, TimeUnit.SECONDS)).isEqualTo(-1);
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shutdownOutputSendsCloseNotifyThenFin() throws Exception {
        CompletableFuture<Void> served = serveOne(TransportKind.EVENT_LOOP, options(), connection -> {
            connection.transport().write(ByteBuffer.wrap("last words".getBytes(StandardCharsets.US_ASCII)));
            connection.transport().shutdownOutput();
            assertThatThrownBy(() -> connection.transport().write(ByteBuffer.wrap(new byte[1])))
                    .isInstanceOf(IOException.class);
        });
        RecordingSocket plain = new RecordingSocket();
        plain.connect(new InetSocketAddress("127.0.0.1", port()), 2_000);
        plain.setSoTimeout(5_000);
        // TLS 1.2, where an alert record shows its type on the wire (TLS 1.3 disguises every record).
        SSLSocket socket = (SSLSocket) TlsClient.context(List.of(localhost), null).getSocketFactory()
                .createSocket(plain, "localhost", port(), true);
        try (socket) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("last words");
            byte[] received = plain.received();
            // The last record: alert (21), TLS 1.2, 26 bytes (nonce, the 2-byte alert, tag) — then end of stream.
            byte[] lastHeader = java.util.Arrays.copyOfRange(received, received.length - 31, received.length - 26);
            assertThat(lastHeader).containsExactly(21, 3, 3, 0, 26);
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void refusesTls12RenegotiationByClosingTheConnection() throws Exception {
        CompletableFuture<Void> served = serveOne(TransportKind.EVENT_LOOP, options(), connection -> {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            while (connection.transport().read(buffer.clear()) > 0) {
                connection.transport().write(buffer.flip());
            }
        });
        try (TlsClient client = TlsClient.connect(port(), List.of(localhost), null,
                p -> p.setProtocols(new String[] {"TLSv1.2"}))) {
            client.send("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.socket().getInputStream().readNBytes(4)).isEqualTo("ping".getBytes(StandardCharsets.US_ASCII));
            // The client's new ClientHello goes out; the server answers by closing.
            client.socket().startHandshake();
            assertThat(readOrFail(client.socket().getInputStream())).isEqualTo(-1);
        }
        assertThatThrownBy(() -> served.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(SSLException.class).hasMessage("TLS renegotiation is not supported");
    }

    @ParameterizedTest
    @EnumSource(TransportKind.class)
    void echoesAMebibyteRequestBodyAndSendsAMebibyteResponse(TransportKind kind) throws IOException {
        byte[] body = PatternBytes.of(1 << 20);
        try (RunningServer server = TlsTestServers.start(options(), kind);
             TlsClient client = TlsClient.connect(server.port(), List.of(localhost))) {
            byte[] head = ("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            client.send(head);
            client.send(body);
            TlsClient.Response echoed = client.readResponse();
            assertThat(echoed.status()).isEqualTo(200);
            assertThat(echoed.body()).isEqualTo(body);
            TlsClient.Response download = client.get("/bytes?n=" + body.length);
            assertThat(download.body()).isEqualTo(body);
        }
    }

    /** Reads a byte; a failed read (the server closed amid a handshake) counts as end of stream. */
    private static int readOrFail(InputStream in) {
        try {
            return in.read();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A plain socket that keeps a copy of every byte received, for layering TLS over it. */
    private static final class RecordingSocket extends Socket {
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        record(new byte[] {(byte) b}, 0, 1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        record(b, off, n);
                    }
                    return n;
                }
            };
        }

        private synchronized void record(byte[] b, int off, int len) {
            copy.write(b, off, len);
        }

        synchronized byte[] received() {
            return copy.toByteArray();
        }
    }
}
