package dev.lanner.benchmarks.soak;

import dev.lanner.benchmarks.soak.SoakCounters.Outcome;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hostile HTTP/2 clients on h2c (prior knowledge), written frame by frame: rapid reset
 * (HEADERS then RST_STREAM, CVE-2023-44487), CONTINUATION flood (CVE-2024-27316 family), an
 * oversized header list, and a TCP reset in the middle of a request body.
 */
final class HostileHttp2 {

    private static final int RAPID_RESET_STREAMS = 1_000;
    private static final int CONTINUATION_FRAMES = 200;

    private final SoakControl control;
    private final InetSocketAddress h2c;
    private final String authority;

    HostileHttp2(SoakTarget target, SoakControl control) {
        this.control = control;
        this.h2c = target.h2c();
        this.authority = target.authority(h2c);
    }

    List<HostileScenario> scenarios() {
        return List.of(rapidReset(), continuationFlood(), oversizedHeaderList(), resetMidStream());
    }

    /** Reads frames until a GOAWAY (its code) or the end of the connection (-1); other frames are dropped. */
    private static CompletableFuture<Integer> goawayWatcher(Socket socket) throws IOException {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        CompletableFuture<Integer> goaway = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                for (H2Frames.Frame f = H2Frames.read(in); f != null; f = H2Frames.read(in)) {
                    if (f.type() == H2Frames.GOAWAY) {
                        goaway.complete(f.errorCode());
                        return;
                    }
                }
                goaway.complete(-1);
            } catch (IOException e) {
                goaway.complete(-1);
            }
        });
        return goaway;
    }

    private Outcome goawayOutcome(CompletableFuture<Integer> goaway, String notSeen) throws InterruptedException {
        int code;
        try {
            code = goaway.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return Outcome.anomaly(notSeen);
        } catch (java.util.concurrent.ExecutionException e) {
            code = -1;
        }
        if (code == H2Frames.ENHANCE_YOUR_CALM) {
            return Outcome.expected("GOAWAY ENHANCE_YOUR_CALM");
        }
        if (code == -1) {
            return control.atConnectionLimit() ? Outcome.expected("refused at the connection limit")
                    : Outcome.anomaly("closed without GOAWAY");
        }
        return Outcome.anomaly("GOAWAY 0x" + Integer.toHexString(code));
    }

    private Socket open() throws IOException {
        Socket socket = new Socket();
        socket.connect(h2c, 5_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** HEADERS (a complete GET) then RST_STREAM CANCEL, stream after stream, 1,000 times or until GOAWAY. */
    HostileScenario rapidReset() {
        byte[] block = H2Frames.requestBlock("GET", "http", authority, "/plaintext");
        return new Scenario("h2-rapid-reset", 1, 1_000,
                "h2c: HEADERS (GET /plaintext) then RST_STREAM CANCEL, up to " + RAPID_RESET_STREAMS
                        + " streams in a row; expects GOAWAY ENHANCE_YOUR_CALM (reset budget 200)",
                () -> flood("no GOAWAY after " + RAPID_RESET_STREAMS + " resets", (out, goawaySeen) -> {
                    for (int i = 0; i < RAPID_RESET_STREAMS && !goawaySeen.getAsBoolean(); i++) {
                        int stream = 1 + 2 * i;
                        H2Frames.write(out, H2Frames.HEADERS, H2Frames.END_STREAM | H2Frames.END_HEADERS, stream, block);
                        H2Frames.rstStream(out, stream, H2Frames.CANCEL);
                        if (i % 50 == 49) {
                            out.flush();
                        }
                    }
                }));
    }

    /** HEADERS without END_HEADERS, then CONTINUATION frames that never end the block. */
    HostileScenario continuationFlood() {
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        H2Frames.literal(field, "x-flood", "f".repeat(1_000));
        byte[] fragment = field.toByteArray();
        byte[] first = H2Frames.requestBlock("GET", "http", authority, "/plaintext");
        return new Scenario("h2-continuation-flood", 1, 1_000,
                "h2c: HEADERS without END_HEADERS, then up to " + CONTINUATION_FRAMES
                        + " CONTINUATION frames of 1 KB never ending the block; expects GOAWAY ENHANCE_YOUR_CALM "
                        + "(block limit 64 KiB / 32 frames)",
                () -> flood("no GOAWAY after " + CONTINUATION_FRAMES + " CONTINUATION frames", (out, goawaySeen) -> {
                    H2Frames.write(out, H2Frames.HEADERS, H2Frames.END_STREAM, 1, first);
                    for (int i = 0; i < CONTINUATION_FRAMES && !goawaySeen.getAsBoolean(); i++) {
                        H2Frames.write(out, H2Frames.CONTINUATION, 0, 1, fragment);
                        if (i % 10 == 9) {
                            out.flush();
                        }
                    }
                }));
    }

    /** What a flood writes after the preface and SETTINGS, until the server's GOAWAY is seen. */
    private interface FloodFrames {
        void write(OutputStream out, java.util.function.BooleanSupplier goawaySeen) throws IOException;
    }

    /**
     * One h2c connection: the preface, an empty SETTINGS, then {@code frames}; the outcome is whether the server
     * answered with GOAWAY ENHANCE_YOUR_CALM (a write that fails because the server closed is part of that).
     */
    private Outcome flood(String notSeen, FloodFrames frames) throws IOException, InterruptedException {
        try (Socket socket = open()) {
            CompletableFuture<Integer> goaway = goawayWatcher(socket);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            try {
                out.write(H2Frames.PREFACE);
                H2Frames.write(out, H2Frames.SETTINGS, 0, 0, new byte[0]);
                frames.write(out, goaway::isDone);
                out.flush();
            } catch (IOException closedWhileWriting) {
                // the server closed; the watcher says whether it sent GOAWAY first
            }
            return goawayOutcome(goaway, notSeen);
        }
    }

    /** A 40 KB header list (over the 32 KiB limit): 431 on that stream, then the connection still serves. */
    HostileScenario oversizedHeaderList() {
        String big = "h".repeat(40_000);
        return new Scenario("h2-oversized-headers", 1, 1_000,
                "h2c: a GET with a 40 KB header field (HEADERS + CONTINUATION); expects 431 on that stream and "
                        + "a normal GET answered 200 on the same connection afterwards",
                () -> {
                    try (H2ClientConnection c = H2Client.connect(h2c, null)) {
                        WellBehavedRequest get = WellBehavedRequest.nthGet(0);
                        int status;
                        try {
                            status = c.exchange(List.of(get), "x-big", big).get(0).status();
                        } catch (H2ClientConnection.H2Error e) {
                            return Outcome.anomaly(e.getMessage() + " on the oversized request");
                        }
                        if (status != 431) {
                            return Outcome.anomaly("status " + status + " on the oversized request");
                        }
                        H2ClientConnection.Response after = c.exchange(List.of(get)).get(0);
                        return get.mismatch(after.status(), after.body()) == null
                                ? Outcome.expected("431, then 200 on the same connection")
                                : Outcome.anomaly("431, then " + get.mismatch(after.status(), after.body()));
                    } catch (java.io.EOFException | java.net.SocketException e) {
                        return control.atConnectionLimit() ? Outcome.expected("refused at the connection limit")
                                : Outcome.anomaly("connection closed: " + e.getMessage());
                    }
                });
    }

    /** A POST /echo stream whose body stops half way, then a TCP reset of the whole connection. */
    HostileScenario resetMidStream() {
        byte[] block = H2Frames.requestBlock("POST", "http", authority, "/echo", "content-length", "100000");
        byte[] half = new byte[16_000];
        return new Scenario("h2-reset-mid-stream", 1, 200,
                "h2c: POST /echo declaring 100 KB, 16 KB of DATA, then a TCP reset (SO_LINGER 0); the server must "
                        + "drop the connection and its stream",
                () -> {
                    Socket socket = open();
                    try {
                        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                        out.write(H2Frames.PREFACE);
                        H2Frames.write(out, H2Frames.SETTINGS, 0, 0, new byte[0]);
                        H2Frames.write(out, H2Frames.HEADERS, H2Frames.END_HEADERS, 1, block);
                        H2Frames.write(out, H2Frames.DATA, 0, 1, half);
                        out.flush();
                        Thread.sleep(20);
                        return Outcome.expected("reset mid-stream");
                    } catch (IOException e) {
                        return control.atConnectionLimit() ? Outcome.expected("refused at the connection limit")
                                : Outcome.anomaly("closed before the reset: " + e.getMessage());
                    } finally {
                        socket.setSoLinger(true, 0);
                        socket.close();
                    }
                });
    }
}
