package dev.lanner.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.WebApplicationOptions;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The connection and request ids in the MDC, on the default server over loopback, as Logback sees them:
 * a rejection's one debug line carries its connection's id; with {@code Logging:RequestScope} the
 * application's own lines carry the request's and the connection's ids.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LogScopesEndToEndTest {

    @TempDir
    Path root;

    private WebApplication app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop(Duration.ZERO);
        }
        WebApplication.builder(WebApplicationOptions.isolated(root)); // the default logging again
    }

    /** Keeps each event with the MDC of the thread that logged it (a plain ListAppender would read the MDC later). */
    private static ListAppender<ILoggingEvent> capture(String loggerName) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing();
                super.append(event);
            }
        };
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        appender.setContext(context);
        appender.start();
        context.getLogger(loggerName).addAppender(appender);
        return appender;
    }

    private int start(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--urls=http://127.0.0.1:0";
        System.arraycopy(args, 0, all, 1, args.length);
        app = WebApplication.builder(WebApplicationOptions.isolated(root, all)).build();
        app.mapGet("/ids", ctx -> {
            LoggerFactory.getLogger("app.Handler").info("handling");
            ctx.response().write(ctx.traceIdentifier() + "|" + ctx.connection().id());
        });
        app.start();
        String url = app.urls().get(0);
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** The response to {@code raw}, read to the end of the connection. */
    private static String exchange(int port, String raw) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** The body of a GET of {@code path}. */
    private static String get(int port, String path) throws Exception {
        String response = exchange(port, "GET " + path + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    private static void awaitEvents(ListAppender<ILoggingEvent> appender, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (appender.list.size() < count && System.nanoTime() < deadline) {
            LockSupport.parkNanos(2_000_000);
        }
    }

    @Test
    void aRejectionIsLoggedOnceAtDebugWithItsReasonAndTheConnectionIdInTheMdc() throws Exception {
        int port = start("--Logging:LogLevel:dev.lanner.server.Rejections=Debug");
        ListAppender<ILoggingEvent> rejections = capture("dev.lanner.server.Rejections");
        assertThat(exchange(port, "GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n"); // no Host
        awaitEvents(rejections, 1);
        assertThat(rejections.list).hasSize(1);
        ILoggingEvent event = rejections.list.get(0);
        assertThat(event.getLevel()).isEqualTo(ch.qos.logback.classic.Level.DEBUG);
        Matcher line = Pattern.compile("Connection (\\S+) rejected: invalid_request_headers \\(400 MISSING_HOST\\)")
                .matcher(event.getFormattedMessage());
        assertThat(line.matches()).as(event.getFormattedMessage()).isTrue();
        assertThat(event.getMDCPropertyMap()).containsEntry("ConnectionId", line.group(1));
    }

    @Test
    void withTheRequestScopeTheApplicationsLinesCarryTheRequestAndConnectionIds() throws Exception {
        int port = start("--Logging:RequestScope=true");
        ListAppender<ILoggingEvent> handler = capture("app.Handler");
        String[] ids = get(port, "/ids").split("\\|");
        assertThat(handler.list).hasSize(1);
        assertThat(handler.list.get(0).getMDCPropertyMap())
                .containsEntry("RequestId", ids[0]).containsEntry("ConnectionId", ids[1]);
    }

    @Test
    void theRequestIdOfARequestInACallersTraceIsTheTraceId() throws Exception {
        int port = start("--Logging:RequestScope=true");
        ListAppender<ILoggingEvent> handler = capture("app.Handler");
        String response = exchange(port, "GET /ids HTTP/1.1\r\nHost: a\r\nConnection: close\r\n"
                + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n\r\n");
        assertThat(response).contains("\r\n\r\n4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7|");
        assertThat(handler.list.get(0).getMDCPropertyMap())
                .containsEntry("RequestId", "4bf92f3577b34da6a3ce929d0e0e4736:00f067aa0ba902b7");
    }

    @Test
    void withoutTheRequestScopeTheApplicationsLinesCarryNoRequestId() throws Exception {
        int port = start();
        ListAppender<ILoggingEvent> handler = capture("app.Handler");
        get(port, "/ids");
        assertThat(handler.list).hasSize(1);
        assertThat(handler.list.get(0).getMDCPropertyMap()).doesNotContainKey("RequestId");
    }

    @Test
    void theRequestScopeIsOnInDevelopment() throws Exception {
        int port = start("--environment=Development", "--Hosting:RequestLog=false");
        ListAppender<ILoggingEvent> handler = capture("app.Handler");
        String[] ids = get(port, "/ids").split("\\|");
        assertThat(handler.list.get(0).getMDCPropertyMap()).containsEntry("RequestId", ids[0]);
    }
}
