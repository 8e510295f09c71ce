package example.inproc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.hosting.WebApplication;
import dev.lanner.hosting.integration.ModuleUser;
import dev.lanner.http.HttpContext;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;

/**
 * The application the module's in-process tests load from a jar of its own (compiled by the test, in a
 * package outside dev.lanner so that the module's class loader does not share it). Its mode is the
 * setting Test:Mode: normal, crash-in-main, never-start, no-application, blocking, leaves-thread.
 */
public final class InProcessTestApp {

    /** Ballast: a megabyte per load, so a loader that is not released shows in the heap. */
    private static final byte[] BALLAST = new byte[1 << 20];
    private static final ObjectMapper JSON = new ObjectMapper();

    private InProcessTestApp() {
    }

    public static void main(String[] args) throws Exception {
        BALLAST[0] = 1;
        WebApplication app = WebApplication.builder(args).build();
        String mode = app.configuration().get("Test:Mode", "normal");
        switch (mode) {
            case "crash-in-main" -> throw new IllegalStateException("the test application crashed in main");
            case "never-start" -> Thread.sleep(Long.MAX_VALUE);
            case "no-application" -> {
                return;
            }
            case "leaves-thread" -> Thread.ofPlatform().name("left-by-test-app").start(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // interrupted by the module when the application is unloaded
                }
            });
            default -> { }
        }
        app.setNonBlocking(!mode.equals("blocking"));
        String greeting = app.configuration().get("Greeting", "none");
        app.mapGet("/info", ctx -> info(ctx, app, greeting));
        app.mapGet("/plaintext", ctx -> send(ctx, "text/plain", "Hello, World!".getBytes(StandardCharsets.US_ASCII)));
        app.mapGet("/slow", ctx -> {
            Thread.sleep(Long.parseLong(ctx.request().query("ms")));
            send(ctx, "text/plain", "slept\n".getBytes(StandardCharsets.US_ASCII));
        });
        app.mapPost("/echo", ctx -> send(ctx, "application/octet-stream", ctx.request().body().readAllBytes()));
        app.run();
    }

    private static void info(HttpContext ctx, WebApplication app, String greeting) throws Exception {
        ObjectNode json = JSON.createObjectNode();
        json.put("scheme", ctx.request().scheme());
        json.put("host", ctx.request().host());
        json.put("pathBase", ctx.request().pathBase());
        json.put("path", ctx.request().path());
        json.put("protocol", ctx.request().protocol());
        InetAddress remote = ctx.connection().remoteAddress();
        json.put("remoteAddress", remote == null ? null : remote.getHostAddress());
        json.put("remotePort", ctx.connection().remotePort());
        json.put("localPort", ctx.connection().localPort());
        Principal user = ctx.user();
        json.put("user", user == null ? null : user.getName());
        json.put("authenticationType", user instanceof ModuleUser moduleUser ? moduleUser.authenticationType() : null);
        X509Certificate certificate = ctx.connection().clientCertificate();
        json.put("clientCertificate", certificate == null ? null : certificate.getSubjectX500Principal().getName());
        json.put("greeting", greeting);
        json.put("inProcess", app.isHostedInProcess());
        json.put("urls", String.join(" ", app.urls()));
        json.put("jacksonLoader", ObjectMapper.class.getClassLoader().getName());
        json.put("contextLoader", HttpContext.class.getClassLoader().getName());
        json.put("applicationLoader", InProcessTestApp.class.getClassLoader().getName());
        json.put("threadContextLoader", String.valueOf(Thread.currentThread().getContextClassLoader().getName()));
        json.put("pid", ProcessHandle.current().pid());
        send(ctx, "application/json", JSON.writeValueAsBytes(json));
    }

    private static void send(HttpContext ctx, String type, byte[] body) throws Exception {
        ctx.response().setContentType(type);
        ctx.response().setContentLength(body.length);
        ctx.response().write(body);
    }
}
