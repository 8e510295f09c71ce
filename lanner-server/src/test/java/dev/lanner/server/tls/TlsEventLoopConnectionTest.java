package dev.lanner.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.server.transport.ReadinessListener;
import dev.lanner.tls.ServerCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-loop rules of TLS, without sockets: an {@link InMemoryLoopConnection} is the socket and
 * the client, so the test decides what arrives, how much the socket takes and when readiness
 * fires, and asserts exactly which callbacks the protocol gets.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TlsEventLoopConnectionTest {

    @TempDir
    static Path dir;
    private static ServerCertificate localhost;

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private InMemoryLoopConnection socket;
    private TlsEventLoopConnection tls;
    private Reader reader;

    @BeforeAll
    static void createCertificate() {
        localhost = TestCertificates.create(dir, "localhost", "localhost", "dns:localhost");
    }

    @BeforeEach
    void handshake() throws IOException {
        socket = new InMemoryLoopConnection(clientEngine());
        tls = establish(socket);
        reader = new Reader(64);
        tls.setListener(reader);
        tls.armRead();
    }

    private static SSLEngine clientEngine() {
        SSLEngine client = TlsClient.context(List.of(localhost), null).createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        return client;
    }

    /** A TLS 1.3 connection over {@code socket}, its handshake done and the client's session ticket taken. */
    private TlsEventLoopConnection establish(InMemoryLoopConnection socket) throws IOException {
        SSLContext context = TlsClient.context(List.of(localhost), localhost);
        SSLEngine server = context.createSSLEngine();
        server.setUseClientMode(false);
        TlsEventLoopConnection connection = new TlsEventLoopConnection(socket, server, timer);
        connection.handshake();
        assertThat(server.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(socket.received()).isEmpty();
        return connection;
    }

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void deliversEveryHeldRecordToAReaderWhoseBufferHoldsLessThanOne() throws IOException {
        reader = new Reader(4);
        tls.setListener(reader);
        socket.send("alpha", "bravo", "charlie");

        socket.fireReadable();

        // One readiness event; the TLS layer kept calling while it held what the socket no longer shows.
        assertThat(reader.reads).containsExactly("alph", "a", "brav", "o", "char", "lie");
        assertThat(socket.unreadByServer()).isZero();
    }

    @Test
    void anIdleConnectionHoldsNoRecordBufferOnceAPartialRecordIsComplete() throws IOException {
        assertThat(tls.ownBufferCapacity()).isZero();
        socket.send("alphabet");
        socket.holdBackLast(3);
        socket.fireReadable();
        assertThat(reader.reads).isEmpty();
        assertThat(tls.ownBufferCapacity()).isPositive(); // the partial record waits in a buffer of the connection's own

        socket.releaseHeldBack();
        socket.fireReadable();

        assertThat(reader.reads).containsExactly("alphabet");
        assertThat(tls.ownBufferCapacity()).isZero();
    }

    @Test
    void aCallThatTakesNothingEndsTheRound() throws IOException {
        reader.takeNothing = true;
        socket.send("alpha", "bravo");

        socket.fireReadable();

        assertThat(reader.readableCalls).isOne();
    }

    @Test
    void heldInputWaitsWhileReadInterestIsDisarmedAndArmingFromAnotherThreadWakesTheLoop() throws Exception {
        reader = new Reader(4);
        reader.disarmEachTime = true;
        tls.setListener(reader);
        socket.send("alpha");

        socket.fireReadable();
        assertThat(reader.reads).containsExactly("alph");
        assertThat(socket.writeInterest).isFalse();

        // A virtual thread gives the connection back to the loop: write readiness is the wake-up.
        Thread.ofVirtual().start(tls::armRead).join();
        assertThat(socket.writeInterest).isTrue();
        socket.fireWritable();

        assertThat(reader.reads).containsExactly("alph", "a");
        assertThat(reader.writableCalls).isZero();
    }

    @Test
    void armingReadInsideACallbackNeedsNoWakeUp() throws IOException {
        reader = new Reader(4);
        tls.setListener(reader);
        socket.send("alpha");

        socket.fireReadable();

        assertThat(reader.reads).containsExactly("alph", "a");
        assertThat(socket.writeInterestArmed).isZero();
    }

    @Test
    void writeNowKeepsWhatTheSocketDidNotTakeAndConsumesNothingMoreUntilItIsOut() throws IOException {
        String body = "x".repeat(3000);
        socket.setWriteRoom(100);

        assertThat(tls.writeNow(ascii(body))).isEqualTo(3000);
        assertThat(socket.writeInterest).isTrue();
        assertThat(tls.writeNow(ascii("more"))).isZero();
        tls.armWrite();

        socket.setWriteRoom(10);
        socket.fireWritable();
        assertThat(reader.writableCalls).isZero();

        socket.setWriteRoom(Long.MAX_VALUE);
        socket.fireWritable();
        assertThat(reader.writableCalls).isOne();
        assertThat(socket.received()).isEqualTo(body);
        assertThat(tls.writeNow(ascii("more"))).isEqualTo(4);
        assertThat(socket.received()).isEqualTo(body + "more");
    }

    @Test
    void writabilityReachesTheProtocolOnlyWhenItAskedForIt() throws IOException {
        socket.setWriteRoom(100);
        tls.writeNow(ascii("y".repeat(1000)));

        socket.setWriteRoom(Long.MAX_VALUE);
        socket.fireWritable();

        assertThat(reader.writableCalls).isZero();
        assertThat(socket.received()).hasSize(1000);
    }

    @Test
    void aBlockingWriteSendsWhatANonBlockingWriteLeftFirst() throws IOException {
        socket.setWriteRoom(100);
        tls.writeNow(ascii("a".repeat(1000)));

        tls.write(ascii("b".repeat(10)));

        assertThat(socket.received()).isEqualTo("a".repeat(1000) + "b".repeat(10));
    }

    @Test
    void aBlockingReadDeliversWhatTheLoopLeftHeld() throws IOException {
        reader = new Reader(4);
        reader.disarmEachTime = true;
        tls.setListener(reader);
        socket.send("alphabet", "soup");
        socket.fireReadable();

        ByteBuffer buffer = ByteBuffer.allocate(64);
        assertThat(tls.read(buffer)).isEqualTo(4);
        assertThat(tls.read(buffer)).isEqualTo(4);
        assertThat(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII)).isEqualTo("abetsoup");
    }

    @Test
    void closeSendsLeftoverCiphertextBeforeClosingTheSocket() throws IOException {
        socket.setWriteRoom(100);
        tls.writeNow(ascii("z".repeat(5000)));

        tls.close();
        assertThat(socket.closed).isFalse();
        assertThat(socket.readInterest).isFalse();
        assertThat(tls.isOpen()).isFalse();

        socket.setWriteRoom(Long.MAX_VALUE);
        socket.fireWritable();
        assertThat(socket.closed).isTrue();
        assertThat(socket.received()).hasSize(5000);
    }

    @Test
    void closeGivesUpOnAClientThatDoesNotReadAfterADeadline() throws IOException {
        socket.setWriteRoom(100);
        tls.writeNow(ascii("z".repeat(5000)));
        tls.close();

        assertThat(timer.getQueue()).hasSize(1);
        // The deadline, run now rather than in ten seconds.
        ((Runnable) timer.getQueue().peek()).run();

        assertThat(socket.closed).isTrue();
    }

    @Test
    void closeWithNothingLeftClosesAtOnce() throws IOException {
        tls.writeNow(ascii("done"));

        tls.close();

        assertThat(socket.closed).isTrue();
        assertThat(timer.getQueue()).isEmpty();
    }

    @Test
    void shutdownOutputOnTheLoopSendsCloseNotifyThenFinBehindLeftovers() throws IOException {
        socket.setWriteRoom(100);
        tls.writeNow(ascii("w".repeat(2000)));

        tls.shutdownOutput();
        assertThat(socket.outputShut).isFalse();

        socket.setWriteRoom(Long.MAX_VALUE);
        socket.fireWritable();
        assertThat(socket.outputShut).isTrue();
        assertThat(socket.received()).hasSize(2000);
        assertThat(socket.clientInboundDone()).isTrue();
    }

    @Test
    void endOfInputAfterCloseNotifyIsDeliveredInTheSameRoundAsTheDataBeforeIt() throws IOException {
        socket.send("last words");
        socket.closeClient(false);

        socket.fireReadable();

        assertThat(reader.reads).containsExactly("last words");
        assertThat(reader.ended).isTrue();
        assertThat(reader.readableCalls).isEqualTo(2);
    }

    @Test
    void endOfTcpStreamWithoutCloseNotifyEndsInput() throws IOException {
        socket.send("cut");
        socket.shutdownInput();

        socket.fireReadable();
        socket.fireReadable();

        assertThat(reader.reads).containsExactly("cut");
        assertThat(reader.ended).isTrue();
    }

    @Test
    void answersKeyUpdateFromTheLoopAndKeepsTheAnswerWhenTheSocketIsFull() throws IOException {
        socket.updateKeys();
        socket.send("after the update");
        socket.setWriteRoom(0);

        socket.fireReadable();
        assertThat(reader.reads).containsExactly("after the update");
        assertThat(socket.writeInterest).isTrue();
        assertThat(socket.unreadByClient()).isZero();

        socket.setWriteRoom(Long.MAX_VALUE);
        socket.fireWritable();
        // The KeyUpdate answer went out; the client reads the server's next records with the new keys.
        assertThat(socket.unreadByClient()).isPositive();
        tls.writeNow(ascii("reply"));
        assertThat(socket.received()).isEqualTo("reply");
    }

    @Test
    void connectionsOfOneLoopBorrowItsBuffersWithoutMixingTheirBytes() throws IOException {
        InMemoryLoopConnection otherSocket = new InMemoryLoopConnection(clientEngine(), socket);
        TlsEventLoopConnection other = establish(otherSocket);
        // Leftovers on both sides of the first connection: ciphertext the socket did not take, and
        // a record that has not fully arrived.
        socket.setWriteRoom(100);
        tls.writeNow(ascii("first ".repeat(500)));
        socket.send("first request");
        socket.holdBackLast(4);
        ByteBuffer in = ByteBuffer.allocate(64);
        assertThat(tls.readNow(in)).isZero();

        // The second connection borrows the same buffers in between.
        assertThat(other.writeNow(ascii("second ".repeat(500)))).isEqualTo(3500);
        otherSocket.send("second request");
        ByteBuffer otherIn = ByteBuffer.allocate(64);
        assertThat(other.readNow(otherIn)).isEqualTo(14);

        socket.setWriteRoom(Long.MAX_VALUE);
        socket.fireWritable();
        socket.releaseHeldBack();
        assertThat(tls.readNow(in)).isEqualTo(13);
        assertThat(socket.received()).isEqualTo("first ".repeat(500));
        assertThat(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII)).isEqualTo("first request");
        assertThat(otherSocket.received()).isEqualTo("second ".repeat(500));
        assertThat(new String(otherIn.array(), 0, otherIn.position(), StandardCharsets.US_ASCII))
                .isEqualTo("second request");
    }

    private static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** The protocol: reads what it is told is there into a small buffer, keeping read interest unless told not to. */
    private final class Reader implements ReadinessListener {
        final List<String> reads = new java.util.ArrayList<>();
        final ByteBuffer buffer;
        int readableCalls;
        int writableCalls;
        boolean ended;
        boolean takeNothing;
        boolean disarmEachTime;

        Reader(int bufferSize) {
            buffer = ByteBuffer.allocate(bufferSize);
        }

        @Override
        public void onReadable() {
            readableCalls++;
            if (takeNothing) {
                return;
            }
            try {
                int n = tls.readNow(buffer.clear());
                if (n < 0) {
                    ended = true;
                } else if (n > 0) {
                    reads.add(new String(buffer.array(), 0, n, StandardCharsets.US_ASCII));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (disarmEachTime) {
                tls.disarmRead();
            } else {
                tls.armRead(); // as HTTP/1.1 does after each round
            }
        }

        @Override
        public void onWritable() {
            writableCalls++;
        }

        @Override
        public void onClosed() {
            // not fired by the in-memory socket
        }
    }
}
