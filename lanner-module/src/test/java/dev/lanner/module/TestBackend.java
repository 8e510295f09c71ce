package dev.lanner.module;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.integration.ModuleUser;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.Arrays;

/**
 * The application the end-to-end tests let the module start as a child process. The first argument
 * picks the mode (else {@code TEST_BACKEND_MODE}, else {@code normal}); the remaining ones are the
 * WebApplication's configuration ({@code --Hosting:RequestLog=false}).
 *
 * <ul>
 *   <li>{@code normal}: a WebApplication (the module integration turns on by itself from
 *       {@code LANNER_PORT}/{@code LANNER_TOKEN}) with {@code GET /info}, {@code GET|POST /slow?ms=N} and
 *       {@code POST /echo};</li>
 *   <li>{@code never-listen}: never opens a port, sleeps until killed;</li>
 *   <li>{@code crash-at-once}: prints a line and exits with 3.</li>
 * </ul>
 */
public final class TestBackend {

    static final String STARTED = "backend started pid ";
    static final String CRASH_LINE = "crash-at-once backend exiting with 3, pid ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestBackend() {
    }

    public static void main(String[] args) throws Exception {
        String mode = System.getenv().getOrDefault("TEST_BACKEND_MODE", "normal");
        String[] rest = args;
        if (args.length > 0 && !args[0].startsWith("--")) {
            mode = args[0];
            rest = Arrays.copyOfRange(args, 1, args.length);
        }
        long pid = ProcessHandle.current().pid();
        switch (mode) {
            case "never-listen" -> {
                System.out.println("never-listen backend pid " + pid);
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            case "crash-at-once" -> {
                System.out.println(CRASH_LINE + pid);
                System.out.flush();
                System.exit(3);
            }
            case "normal" -> {
                WebApplication app = WebApplication.builder(rest).build();
                app.mapGet("/info", TestBackend::info);
                app.mapGet("/slow", TestBackend::slow);
                app.mapPost("/slow", TestBackend::slow);
                app.mapPost("/echo", TestBackend::echo);
                app.lifetime().applicationStarted().onAbort(() -> {
                    System.out.println(STARTED + pid);
                    System.out.flush();
                });
                app.run();
            }
            default -> {
                System.err.println("unknown mode " + mode);
                System.exit(2);
            }
        }
    }

    private static void info(HttpContext ctx) throws IOException {
        HttpRequest request = ctx.request();
        ObjectNode json = JSON.createObjectNode();
        json.put("scheme", request.scheme());
        json.put("host", request.host());
        json.put("pathBase", request.pathBase());
        json.put("path", request.path());
        InetAddress remote = ctx.connection().remoteAddress();
        json.put("remoteAddress", remote == null ? null : remote.getHostAddress());
        json.put("remotePort", ctx.connection().remotePort());
        json.put("localPort", ctx.connection().localPort());
        json.put("pid", ProcessHandle.current().pid());
        Principal user = ctx.user();
        json.put("user", user == null ? null : user.getName());
        json.put("authenticationType", user instanceof ModuleUser moduleUser ? moduleUser.authenticationType() : null);
        X509Certificate certificate = ctx.connection().clientCertificate();
        json.put("clientCertificate", certificate == null ? null : certificate.getSubjectX500Principal().getName());
        byte[] body = JSON.writeValueAsBytes(json);
        ctx.response().setContentType("application/json");
        ctx.response().setContentLength(body.length);
        ctx.response().write(body);
    }

    private static void slow(HttpContext ctx) throws Exception {
        String ms = ctx.request().query("ms");
        Thread.sleep(ms == null ? 1000 : Long.parseLong(ms));
        byte[] body = "slept\n".getBytes(StandardCharsets.UTF_8);
        ctx.response().setContentType("text/plain");
        ctx.response().setContentLength(body.length);
        ctx.response().write(body);
    }

    private static void echo(HttpContext ctx) throws IOException {
        byte[] body = ctx.request().body().readAllBytes();
        ctx.response().setContentType("application/octet-stream");
        ctx.response().setContentLength(body.length);
        ctx.response().write(body);
    }
}
