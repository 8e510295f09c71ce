package dev.lanner.benchmarks.soak;

import dev.lanner.benchmarks.soak.SoakCounters.Outcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile HTTP/1.1 clients, on raw sockets so that what goes on the wire is exact: slowloris
 * heads and bodies, resets (SO_LINGER 0) mid-request and mid-response, oversized and malformed
 * requests, and connection churn past MaxConcurrentConnections. Each expects the answer
 * docs/server.md documents.
 */
final class HostileHttp1 {

    private final SoakTarget target;
    private final SoakControl control;
    private final InetSocketAddress http;
    private final String host;

    HostileHttp1(SoakTarget target, SoakControl control) {
        this.target = target;
        this.control = control;
        this.http = target.http();
        this.host = target.authority(http);
    }

    List<HostileScenario> scenarios() {
        return List.of(slowlorisHeaders(16), slowlorisBody(8), resetMidRequest(), resetMidResponse(), oversized(),
                malformed(), churn());
    }

    /** An answer that is {@code wanted}, or the connection limit at work, is expected; anything else is an anomaly. */
    private Outcome judge(RawConnection.Answer answer, int... wanted) {
        for (int status : wanted) {
            if (answer.status() == status) {
                return Outcome.expected(Integer.toString(status));
            }
        }
        if (answer.closed() && control.atConnectionLimit()) {
            return Outcome.expected("refused at the connection limit");
        }
        return Outcome.anomaly(answer.toString());
    }

    /** A head sent one header line every 2 s, forever: the server must answer 408 (or close) after RequestHeadersTimeout. */
    HostileScenario slowlorisHeaders(int slots) {
        int timeout = target.requestHeadersTimeoutSeconds();
        return new Scenario("slowloris-headers", slots, 100,
                "GET head trickled one header line every 2 s; expects 408 or close after RequestHeadersTimeout (" + timeout + " s)",
                timeout * 1000L, () -> {
                    long start = System.nanoTime();
                    try (RawConnection c = new RawConnection(http, 2_000)) {
                        if (!c.write("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n")) {
                            return judge(RawConnection.Answer.CLOSED);
                        }
                        for (int line = 0; ; line++) {
                            RawConnection.Answer answer = c.answer("GET");
                            if (!answer.timedOut()) {
                                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                                if (seconds < timeout - 1) {
                                    return control.atConnectionLimit() && answer.closed()
                                            ? Outcome.expected("refused at the connection limit")
                                            : Outcome.anomaly(answer + " after only " + seconds + " s");
                                }
                                return answer.closed() ? Outcome.expected("closed after the timeout") : judge(answer, 408);
                            }
                            if ((System.nanoTime() - start) / 1_000_000_000L > timeout + 20L) {
                                return Outcome.anomaly("still open " + (timeout + 20) + " s later");
                            }
                            if (!control.hostileRunning()) {
                                return Outcome.expected("stopped with the run");
                            }
                            c.write("X-Slow-" + line + ": 1\r\n"); // a failed write shows as a close at the next read
                        }
                    }
                });
    }

    /** A POST whose 100,000-octet body comes at 10 B/s: below MinRequestBodyDataRate (240 B/s after 5 s), 408 or close. */
    HostileScenario slowlorisBody(int slots) {
        return new Scenario("slowloris-body", slots, 100,
                "POST /echo, Content-Length 100000, body trickled at 10 B/s; expects 408, or an abort once the echo "
                        + "has started its response, past the minimum request body data rate (240 B/s after a 5 s grace)",
                6_000, () -> {
                    long start = System.nanoTime();
                    try (RawConnection c = new RawConnection(http, 1_000)) {
                        if (!c.write("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 100000\r\n\r\n")) {
                            return judge(RawConnection.Answer.CLOSED);
                        }
                        while (true) {
                            RawConnection.Answer answer = c.answer("POST");
                            if (!answer.timedOut()) {
                                // The echo has started its response (it writes what it reads), so the server
                                // cannot answer 408 any more: it aborts the connection.
                                long seconds = (System.nanoTime() - start) / 1_000_000_000L;
                                if (seconds < 5) {
                                    return control.atConnectionLimit() && answer.closed()
                                            ? Outcome.expected("refused at the connection limit")
                                            : Outcome.anomaly(answer + " after only " + seconds + " s");
                                }
                                return answer.closed() ? Outcome.expected("closed after the grace period") : judge(answer, 408);
                            }
                            if ((System.nanoTime() - start) / 1_000_000_000L > 30) {
                                return Outcome.anomaly("still open after 30 s");
                            }
                            if (!control.hostileRunning()) {
                                return Outcome.expected("stopped with the run");
                            }
                            c.write("0123456789"); // a failed write shows as a close at the next read
                        }
                    }
                });
    }

    /** Half a head, half a body, or half a TLS ClientHello, then a TCP reset. */
    HostileScenario resetMidRequest() {
        AtomicLong n = new AtomicLong();
        byte[] body = new byte[20_000];
        return new Scenario("reset-mid-request", 1, 50,
                "TCP reset (SO_LINGER 0) after half a request head, after 20 KB of a 50 KB body, or after half "
                        + "a TLS ClientHello on the HTTPS port; the server must just drop the connection",
                () -> {
                    int variant = (int) (n.getAndIncrement() % 3);
                    InetSocketAddress endpoint = variant == 2 ? target.tls() : http;
                    RawConnection c = new RawConnection(endpoint, 5_000);
                    boolean written = switch (variant) {
                        case 0 -> c.write("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\nAccept: te");
                        case 1 -> c.write("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 50000\r\n\r\n")
                                && c.write(body);
                        default -> c.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03});
                    };
                    c.reset();
                    String what = switch (variant) {
                        case 0 -> "reset mid-head";
                        case 1 -> "reset mid-body";
                        default -> "reset mid-TLS-handshake";
                    };
                    return written || control.atConnectionLimit() ? Outcome.expected(what) : Outcome.anomaly("closed before the reset");
                });
    }

    /** A POST /echo of 1 MiB whose response is read for 16 KiB, then a TCP reset while the server still writes. */
    HostileScenario resetMidResponse() {
        byte[] body = new byte[1 << 20];
        return new Scenario("reset-mid-response", 1, 100,
                "POST /echo with a 1 MiB body, 16 KiB of the echoed response read, then a TCP reset while the server "
                        + "is writing; the server must drop the connection",
                () -> {
                    RawConnection c = new RawConnection(http, 10_000);
                    Thread writer = Thread.ofVirtual().start(() -> {
                        if (c.write("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: " + body.length + "\r\n\r\n")) {
                            c.write(body);
                        }
                    });
                    try {
                        byte[] head = c.in.readNBytes(16 * 1024);
                        String status = new String(head, 0, Math.min(12, head.length), StandardCharsets.ISO_8859_1);
                        if (head.length < 16 * 1024) {
                            return control.atConnectionLimit() ? Outcome.expected("refused at the connection limit")
                                    : Outcome.anomaly("response ended after " + head.length + " octets");
                        }
                        return status.equals("HTTP/1.1 200") ? Outcome.expected("reset mid-response")
                                : Outcome.anomaly("status line " + status);
                    } catch (java.net.SocketTimeoutException e) {
                        return Outcome.anomaly("no response in 10 s");
                    } catch (java.net.SocketException e) {
                        return control.atConnectionLimit() ? Outcome.expected("refused at the connection limit")
                                : Outcome.anomaly("reset by the server");
                    } finally {
                        c.reset();
                        writer.join();
                    }
                });
    }

    /** Each limit of the request head and body exceeded in turn. */
    HostileScenario oversized() {
        AtomicLong n = new AtomicLong();
        String longTarget = "/plaintext?" + "a".repeat(9_000);
        StringBuilder bigHeaders = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            bigHeaders.append("X-Big-").append(i).append(": ").append("b".repeat(2_000)).append("\r\n");
        }
        StringBuilder manyHeaders = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            manyHeaders.append("X-Many-").append(i).append(": 1\r\n");
        }
        return new Scenario("oversized", 1, 250,
                "request line of 9 KB (expects 414), 40 KB of headers (431), 150 headers (431), "
                        + "Content-Length 40,000,000 on POST /echo (413)",
                () -> {
                    int variant = (int) (n.getAndIncrement() % 4);
                    try (RawConnection c = new RawConnection(http, 10_000)) {
                        return switch (variant) {
                            case 0 -> {
                                c.write("GET " + longTarget + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                                yield tag("request line", judge(c.answer("GET"), 414));
                            }
                            case 1 -> {
                                c.write("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n" + bigHeaders + "\r\n");
                                yield tag("header size", judge(c.answer("GET"), 431));
                            }
                            case 2 -> {
                                c.write("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n" + manyHeaders + "\r\n");
                                yield tag("header count", judge(c.answer("GET"), 431));
                            }
                            default -> {
                                c.write("POST /echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 40000000\r\n\r\n");
                                yield tag("body", judge(c.answer("POST"), 413));
                            }
                        };
                    }
                });
    }

    /** A malformed request and the status docs/server.md gives it. */
    private record Malformed(String name, String request, int status) {
    }

    /** Malformed requests, each with the status the server documents for it (and a close). */
    HostileScenario malformed() {
        List<Malformed> cases = new ArrayList<>(List.of(
                new Malformed("bare LF", "GET /plaintext HTTP/1.1\nHost: " + host + "\n\n", 400),
                new Malformed("CL with TE", "POST /echo HTTP/1.1\r\nHost: " + host
                        + "\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                new Malformed("differing CLs", "POST /echo HTTP/1.1\r\nHost: " + host
                        + "\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", 400),
                new Malformed("bad chunk size", "POST /echo HTTP/1.1\r\nHost: " + host
                        + "\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
                new Malformed("HTTP/1.2", "GET /plaintext HTTP/1.2\r\nHost: " + host + "\r\n\r\n", 505),
                new Malformed("obs-fold", "GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\nX-Folded: a\r\n b\r\n\r\n", 400),
                new Malformed("space before colon", "GET /plaintext HTTP/1.1\r\nHost : " + host + "\r\n\r\n", 400),
                new Malformed("control octet in target", "GET /plain\u0001text HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400),
                new Malformed("unknown coding before chunked", "POST /echo HTTP/1.1\r\nHost: " + host
                        + "\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
                new Malformed("no Host", "GET /plaintext HTTP/1.1\r\n\r\n", 400),
                new Malformed("two spaces", "GET  /plaintext HTTP/1.1\r\nHost: " + host + "\r\n\r\n", 400)));
        AtomicLong n = new AtomicLong();
        return new Scenario("malformed", 1, 100,
                "bare LF, CL with TE, differing CLs, bad chunk size, obs-fold, space before colon, control octet, "
                        + "no Host, double space (expect 400), HTTP/1.2 (505), gzip before chunked (501)",
                () -> {
                    Malformed m = cases.get((int) (n.getAndIncrement() % cases.size()));
                    try (RawConnection c = new RawConnection(http, 10_000)) {
                        c.write(m.request());
                        RawConnection.Answer answer = c.answer(m.request().startsWith("POST") ? "POST" : "GET");
                        Outcome outcome = tag(m.name(), judge(answer, m.status()));
                        if (outcome.expected() && !answer.closed() && !c.closedByServer()) {
                            return Outcome.anomaly(m.name() + ": connection left open after " + answer.status());
                        }
                        return outcome;
                    }
                });
    }

    /**
     * Every 5 s, MaxConcurrentConnections + 64 connections at once, each sending a GET: those within the limit
     * are served, those past it closed at once; all are closed after a second.
     */
    HostileScenario churn() {
        int burst = target.maxConnections() + 64;
        byte[] request = ("GET /plaintext HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Scenario("churn", 1, 5_000,
                "every 5 s, " + burst + " connections at once (MaxConcurrentConnections " + target.maxConnections()
                        + " + 64), a GET on each, held 1 s, closed; expects 200 within the limit and an immediate close past it",
                () -> {
                    control.saturationStarted();
                    List<RawConnection> open = new ArrayList<>(burst);
                    int served = 0;
                    int refused = 0;
                    int other = 0;
                    try {
                        for (int i = 0; i < burst; i++) {
                            try {
                                RawConnection c = new RawConnection(http, 10_000);
                                open.add(c);
                                c.write(request);
                            } catch (IOException refusedAtConnect) {
                                refused++;
                            }
                        }
                        for (RawConnection c : open) {
                            RawConnection.Answer answer = c.answer("GET");
                            if (answer.status() == 200) {
                                served++;
                                control.counters().hostile("churn connection", Outcome.expected("200 within the limit"));
                            } else if (answer.closed()) {
                                refused++;
                                control.counters().hostile("churn connection", Outcome.expected("closed past the limit"));
                            } else {
                                other++;
                                control.counters().hostile("churn connection", Outcome.anomaly(answer.toString()));
                            }
                        }
                        Thread.sleep(1_000);
                    } finally {
                        for (RawConnection c : open) {
                            c.close();
                        }
                        // Give the server a moment to see the closes before others count on free slots.
                        Thread.sleep(200);
                        control.saturationEnded();
                    }
                    if (other > 0) {
                        return Outcome.anomaly(other + " of " + burst + " answered neither 200 nor closed");
                    }
                    if (refused == 0) {
                        return Outcome.anomaly("limit not enforced: all " + burst + " served");
                    }
                    if (served > target.maxConnections()) {
                        return Outcome.anomaly(served + " served, more than the limit");
                    }
                    return Outcome.expected("burst: served within the limit, the rest closed");
                });
    }

    private static Outcome tag(String what, Outcome outcome) {
        return new Outcome(what + " -> " + outcome.what(), outcome.expected());
    }
}
