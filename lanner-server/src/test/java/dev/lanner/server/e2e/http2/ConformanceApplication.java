package dev.lanner.server.e2e.http2;

import dev.lanner.http.HttpContext;
import dev.lanner.http.features.HttpResetFeature;
import dev.lanner.http.features.HttpResponseTrailersFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The application behind the HTTP/2 conformance tests. Routes:
 * <ul>
 *   <li>{@code /} — 200 {@code hello}</li>
 *   <li>{@code /echo} — reads the whole request body, then sends it back</li>
 *   <li>{@code /slow?ms=N} — waits N ms (default 1000) without reading the body, then {@code slow}</li>
 *   <li>{@code /big?n=N} — N octets {@code a..z} repeated, with Content-Length</li>
 *   <li>{@code /headers} — the request header fields as {@code name: value} lines, then
 *       {@code host=}, {@code cookie=}, {@code method=}, {@code path=} lines</li>
 *   <li>{@code /trailers} — body {@code body} and the trailer {@code x-checksum: abc}</li>
 *   <li>{@code /reset} — resets the stream with CANCEL (8) through {@link HttpResetFeature}</li>
 *   <li>{@code /watch-abort} — records {@code watching}, then {@code aborted} when
 *       {@code requestAborted} fires (or {@code not aborted} after 10 s)</li>
 *   <li>{@code /length} — reads the body and answers its length</li>
 * </ul>
 * Events that tests wait for go to {@link #events()}.
 */
final class ConformanceApplication {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();

    BlockingQueue<String> events() {
        return events;
    }

    void handle(HttpContext ctx) throws Exception {
        String path = ctx.request().path();
        switch (path) {
            case "/" -> ctx.response().write("hello");
            case "/echo" -> {
                byte[] body = ctx.request().readAllBytes();
                ctx.response().setContentLength(body.length);
                ctx.response().write(body);
            }
            case "/slow" -> {
                events.add("slow started");
                Thread.sleep(intQuery(ctx, "ms", 1000));
                ctx.response().write("slow");
            }
            case "/big" -> big(ctx, intQuery(ctx, "n", 100_000));
            case "/headers" -> headers(ctx);
            case "/trailers" -> {
                ctx.features().get(HttpResponseTrailersFeature.class).trailers().add("x-checksum", "abc");
                ctx.response().write("body");
            }
            case "/reset" -> ctx.features().get(HttpResetFeature.class).reset(H2Frames.CANCEL);
            case "/watch-abort" -> watchAbort(ctx);
            case "/length" -> ctx.response().write(Integer.toString(ctx.request().readAllBytes().length));
            default -> ctx.response().setStatusCode(404);
        }
    }

    private static void big(HttpContext ctx, int n) throws IOException {
        ctx.response().setContentLength(n);
        OutputStream out = ctx.response().body();
        byte[] body = bigBody(n);
        for (int sent = 0; sent < n; sent += 16_384) {
            out.write(body, sent, Math.min(16_384, n - sent));
        }
    }

    /** The octets {@code /big?n=N} sends. */
    static byte[] bigBody(int n) {
        byte[] body = new byte[n];
        for (int i = 0; i < n; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return body;
    }

    private static void headers(HttpContext ctx) throws IOException {
        StringBuilder text = new StringBuilder();
        ctx.request().headers().forEach((name, value) -> text.append(name).append(": ").append(value).append('\n'));
        text.append("host=").append(ctx.request().header("host")).append('\n');
        text.append("cookie=").append(ctx.request().header("cookie")).append('\n');
        text.append("method=").append(ctx.request().method()).append('\n');
        text.append("path=").append(ctx.request().path()).append(ctx.request().queryString()).append('\n');
        ctx.response().write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private void watchAbort(HttpContext ctx) throws InterruptedException {
        CountDownLatch aborted = new CountDownLatch(1);
        ctx.requestAborted().onAbort(aborted::countDown);
        events.add("watching");
        events.add(aborted.await(10, TimeUnit.SECONDS) ? "aborted" : "not aborted");
    }

    private static int intQuery(HttpContext ctx, String name, int defaultValue) {
        String value = ctx.request().query(name);
        return value == null ? defaultValue : Integer.parseInt(value);
    }
}
