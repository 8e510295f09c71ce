package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lanner.server.tls.TlsRecordLayer.HandshakeStep;
import dev.lanner.server.tls.TlsRecordLayer.ReadStep;
import dev.lanner.tls.ServerCertificate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record layer alone, no transport: a client {@link SSLEngine} on the other end
 * ({@link InMemoryLoopConnection} used only as the place where the two engines' records wait), and
 * the test moves every byte between them.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsRecordLayerTest {

    @TempDir
    static Path dir;
    private static ServerCertificate localhost;

    private InMemoryLoopConnection client;
    private TlsRecordLayer records;

    @BeforeAll
    static void createCertificate() {
        localhost = TestCertificates.create(dir, "localhost", "localhost", "dns:localhost");
    }

    private void pair(String clientProtocol, String... serverProtocols) {
        SSLEngine clientEngine = TlsClient.context(List.of(localhost), null).createSSLEngine("localhost", 443);
        clientEngine.setUseClientMode(true);
        SSLParameters parameters = clientEngine.getSSLParameters();
        parameters.setProtocols(new String[] {clientProtocol});
        clientEngine.setSSLParameters(parameters);
        client = new InMemoryLoopConnection(clientEngine);
        SSLEngine server = TlsClient.context(List.of(localhost), localhost).createSSLEngine();
        server.setUseClientMode(false);
        server.setEnabledProtocols(serverProtocols.length > 0 ? serverProtocols : new String[] {"TLSv1.3", "TLSv1.2"});
        records = new TlsRecordLayer(server);
    }

    /** Runs both sides' handshakes to the end; returns the steps the record layer asked for. */
    private List<HandshakeStep> handshake() throws IOException {
        List<HandshakeStep> steps = new ArrayList<>();
        HandshakeStep step;
        while ((step = records.handshake()) != HandshakeStep.FINISHED) {
            steps.add(step);
            if (step == HandshakeStep.NEEDS_FLUSH) {
                sendToClient();
            } else {
                // The in-memory client runs its side of the handshake until it has something to send.
                receiveFromClient(client::read);
            }
        }
        steps.add(step);
        // The client takes the server's last flight (on TLS 1.2, its Finished).
        client.received();
        return steps;
    }

    private interface Receive {
        int into(ByteBuffer buffer) throws IOException;
    }

    private int receiveFromClient(Receive receive) throws IOException {
        ByteBuffer space = records.beginReceive();
        try {
            return receive.into(space);
        } finally {
            records.endReceive();
        }
    }

    private int receiveFromClient() throws IOException {
        return receiveFromClient(client::readNow);
    }

    private void sendToClient() throws IOException {
        client.write(records.output());
    }

    private String unwrapAll(int bufferSize) throws IOException {
        StringBuilder text = new StringBuilder();
        ByteBuffer dst = ByteBuffer.allocate(bufferSize);
        while (records.unwrap(dst.clear()) == ReadStep.PLAINTEXT) {
            text.append(new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII));
        }
        return text.toString();
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void handshakeAsksForTheClientHelloThenFlushesTheServersFlightAndFinishes() throws IOException {
        pair("TLSv1.3");

        List<HandshakeStep> steps = handshake();

        assertThat(steps).startsWith(HandshakeStep.NEEDS_INPUT, HandshakeStep.NEEDS_FLUSH)
                .endsWith(HandshakeStep.FINISHED);
        assertThat(records.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(records.output().hasRemaining()).isFalse();
        // The client took everything, its session ticket included.
        assertThat(client.received()).isEmpty();
        assertThat(records.handshake()).isEqualTo(HandshakeStep.FINISHED);
    }

    @Test
    void handshakeTasksRunOnTheGivenExecutorWhileTheCallerWaits() throws Exception {
        pair("TLSv1.3");
        List<String> taskThreads = new ArrayList<>();
        ExecutorService workers = Executors.newSingleThreadExecutor(task -> new Thread(task, "handshake-worker"));
        try {
            records.runHandshakeTasksOn(task -> workers.execute(() -> {
                synchronized (taskThreads) {
                    taskThreads.add(Thread.currentThread().getName());
                }
                task.run();
            }));

            List<HandshakeStep> steps;
            try (ExecutorService connection = Executors.newVirtualThreadPerTaskExecutor()) {
                steps = connection.submit(this::handshake).get();
            }

            // The ClientHello's task (the key exchange and the signature) ran on the worker, not on the caller.
            assertThat(taskThreads).isNotEmpty().containsOnly("handshake-worker");
            assertThat(steps).endsWith(HandshakeStep.FINISHED);
            assertThat(records.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(records.wrap(ascii("hello client"))).isEqualTo(12);
            sendToClient();
            assertThat(client.received()).isEqualTo("hello client");
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void carriesDataBothWays() throws IOException {
        pair("TLSv1.3");
        handshake();

        client.send("hello ", "server");
        receiveFromClient();
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertThat(records.unwrap(dst)).isEqualTo(ReadStep.PLAINTEXT);
        assertThat(new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII)).isEqualTo("hello server");
        assertThat(records.unwrap(dst)).isEqualTo(ReadStep.NEEDS_INPUT);

        ByteBuffer reply = ascii("hello client");
        assertThat(records.wrap(reply)).isEqualTo(12);
        assertThat(reply.hasRemaining()).isFalse();
        sendToClient();
        assertThat(client.received()).isEqualTo("hello client");
    }

    @Test
    void wrapsAtMostFourRecordsPerCall() throws IOException {
        pair("TLSv1.3");
        handshake();
        String text = "0123456789abcdef".repeat(6250);
        ByteBuffer large = ascii(text);

        long consumed = records.wrap(new ByteBuffer[] {large}, large.remaining());

        assertThat(recordsIn(records.output())).isEqualTo(TlsRecordLayer.MAX_RECORDS_PER_WRITE);
        assertThat(consumed).isGreaterThan(3 * 16 * 1024).isEqualTo(text.length() - large.remaining());
        sendToClient();
        assertThat(client.received()).isEqualTo(text.substring(0, (int) consumed));
    }

    /** Counts the records in {@code ciphertext} (flipped) by their headers (RFC 8446 §5.1). */
    private static int recordsIn(ByteBuffer ciphertext) {
        int count = 0;
        for (int p = ciphertext.position(); p < ciphertext.limit(); count++) {
            p += 5 + ((ciphertext.get(p + 3) & 0xff) << 8 | (ciphertext.get(p + 4) & 0xff));
        }
        return count;
    }

    @Test
    void aRecordSplitAcrossReadsWaitsForItsLastBytes() throws IOException {
        pair("TLSv1.3");
        handshake();
        client.send("split record");
        client.holdBackLast(3);

        receiveFromClient();
        ByteBuffer dst = ByteBuffer.allocate(64);
        assertThat(records.unwrap(dst)).isEqualTo(ReadStep.NEEDS_INPUT);
        assertThat(dst.position()).isZero();
        assertThat(records.holdsInput()).isFalse();

        client.releaseHeldBack();
        assertThat(receiveFromClient()).isEqualTo(3);
        assertThat(records.holdsInput()).isTrue();
        assertThat(records.unwrap(dst)).isEqualTo(ReadStep.PLAINTEXT);
        assertThat(new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII)).isEqualTo("split record");
    }

    @Test
    void aRecordLargerThanTheCallersBufferIsDeliveredOverSeveralCalls() throws IOException {
        pair("TLSv1.3");
        handshake();
        client.send("abcdefghij");
        receiveFromClient();

        ByteBuffer dst = ByteBuffer.allocate(4);
        assertThat(records.unwrap(dst)).isEqualTo(ReadStep.PLAINTEXT);
        assertThat(records.holdsInput()).isTrue();

        assertThat(new String(dst.array(), 0, 4, StandardCharsets.US_ASCII) + unwrapAll(4)).isEqualTo("abcdefghij");
        assertThat(records.holdsInput()).isFalse();
    }

    @Test
    void closeNotifyFromTheClientEndsInputAfterTheDataBeforeIt() throws IOException {
        pair("TLSv1.3");
        handshake();
        client.send("last words");
        client.closeClient(false);
        receiveFromClient();

        assertThat(unwrapAll(64)).isEqualTo("last words");
        assertThat(records.unwrap(ByteBuffer.allocate(64))).isEqualTo(ReadStep.CLOSED);
        assertThat(records.inputEnded()).isTrue();
    }

    @Test
    void endOfInputWithoutCloseNotifyEndsInputToo() throws IOException {
        pair("TLSv1.3");
        handshake();

        records.endOfInput();

        assertThat(records.unwrap(ByteBuffer.allocate(64))).isEqualTo(ReadStep.CLOSED);
    }

    @Test
    void closeOutboundPutsCloseNotifyInTheOutput() throws IOException {
        pair("TLSv1.3");
        handshake();
        records.wrap(ascii("bye"));

        records.closeOutbound();
        sendToClient();

        assertThat(client.received()).isEqualTo("bye");
        assertThat(client.clientInboundDone()).isTrue();
    }

    @Test
    void asksForAnAnswerToKeyUpdateThenReadsOnWithTheNewKeys() throws IOException {
        pair("TLSv1.3");
        handshake();
        client.updateKeys();
        client.send("after the update");
        receiveFromClient();

        ByteBuffer dst = ByteBuffer.allocate(64);
        assertThat(records.unwrap(dst)).isEqualTo(ReadStep.NEEDS_ANSWER);
        assertThat(records.wrapHandshakeMessages()).isTrue();
        assertThat(records.output().hasRemaining()).isTrue();
        sendToClient();
        assertThat(records.unwrap(dst)).isEqualTo(ReadStep.PLAINTEXT);
        assertThat(new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII)).isEqualTo("after the update");

        // The client reads the server's records under the server's new keys.
        records.wrap(ascii("reply"));
        sendToClient();
        assertThat(client.received()).isEqualTo("reply");
    }

    @Test
    void refusesTls12Renegotiation() throws IOException {
        pair("TLSv1.2");
        handshake();
        assertThat(records.engine().getSession().getProtocol()).isEqualTo("TLSv1.2");

        // On TLS 1.2 a client's new handshake is a renegotiation: its ClientHello comes encrypted.
        client.updateKeys();
        receiveFromClient();

        assertThatThrownBy(() -> records.unwrap(ByteBuffer.allocate(64)))
                .isInstanceOf(SSLException.class)
                .hasMessage("TLS renegotiation is not supported");
    }

    @Test
    void refusesPlaintextHttpBeforeTheEngineSeesIt() {
        pair("TLSv1.3");
        ByteBuffer space = records.beginReceive();
        space.put(ascii("GET / HTTP/1.1\r\n"));
        records.endReceive();

        assertThatThrownBy(records::handshake).isInstanceOf(PlaintextHttpException.class);
    }

    @Test
    void aFailedHandshakeLeavesItsAlertForTheClient() throws IOException {
        pair("TLSv1.2", "TLSv1.3");
        // The ClientHello offers only TLS 1.2, which the server does not speak.
        assertThat(records.handshake()).isEqualTo(HandshakeStep.NEEDS_INPUT);
        receiveFromClient(client::read);

        assertThatThrownBy(records::handshake).isInstanceOf(SSLHandshakeException.class);

        records.closeOutbound();
        assertThat(records.output().hasRemaining()).isTrue();
        sendToClient();
        assertThatThrownBy(client::received).isInstanceOf(SSLException.class)
                .hasMessageContaining("protocol_version");
    }
}
