package dev.lanner.samples.hello;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.hosting.WebApplication;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.HttpRequest;
import dev.lanner.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sample application. Its endpoints are the ones the benchmarks and conformance probes use:
 * {@code GET /}, {@code GET /plaintext}, {@code GET /json}, {@code POST /echo}, {@code GET /headers},
 * {@code GET /info} (what the application sees of the request: scheme, host, path base, client address,
 * connection). {@code GET /metrics} (Prometheus text) comes from lanner-metrics on the class path, without code
 * here ({@code --Metrics:Enabled=false} turns it off; docs/metrics.md).
 */
public final class HelloApplication {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    // Constant bytes, as in every benchmark peer: the benchmark measures the server, not a serializer.
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

    /** Built on the first /headers or /info request, not at start-up (an ObjectMapper takes tens of ms cold). */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private HelloApplication() {
    }

    public static void main(String[] args) {
        WebApplication app = WebApplication.builder(args).build();
        configure(app);
        app.run();
    }

    /** Maps the sample's endpoints on {@code app}. */
    public static void configure(WebApplication app) {
        // Every handler here is CPU-only once the body is in: the default server may run them inline.
        app.setNonBlocking(true);
        String serverName = app.server().getClass().getSimpleName();
        app.mapGet("/", ctx -> home(ctx, serverName, app));
        app.mapGet("/plaintext", ctx -> send(ctx.response(), "text/plain", PLAINTEXT));
        app.mapGet("/json", ctx -> send(ctx.response(), "application/json", JSON));
        app.mapPost("/echo", HelloApplication::echo);
        app.mapGet("/headers", HelloApplication::headers);
        app.mapGet("/info", ctx -> info(ctx, serverName));
    }

    private static void send(HttpResponse response, String contentType, byte[] body) throws IOException {
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.write(body);
    }

    private static void home(HttpContext ctx, String serverName, WebApplication app) throws IOException {
        StringBuilder addresses = new StringBuilder();
        for (String address : app.urls()) {
            addresses.append("<li>").append(escape(address)).append("</li>");
        }
        String page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Lanner says hello</title></head>"
                + "<body><h1>Hello from Lanner</h1>"
                + "<p>Served by <strong id=\"server\">" + escape(serverName) + "</strong> over "
                + "<span id=\"protocol\">" + escape(ctx.request().protocol()) + "</span>"
                + " (" + escape(ctx.request().scheme()) + ").</p>"
                + "<p>Listening on:</p><ul id=\"addresses\">" + addresses + "</ul>"
                + "<p>Try <a href=\"plaintext\">/plaintext</a>, <a href=\"json\">/json</a>, "
                + "<a href=\"headers\">/headers</a>, <a href=\"info\">/info</a>.</p></body></html>";
        send(ctx.response(), "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    private static void echo(HttpContext ctx) throws IOException {
        HttpRequest request = ctx.request();
        HttpResponse response = ctx.response();
        String contentType = request.contentType();
        response.setContentType(contentType == null ? "application/octet-stream" : contentType);
        long length = request.contentLength();
        if (length >= 0) {
            response.setContentLength(length);
        }
        InputStream in = request.body();
        OutputStream out = response.body();
        in.transferTo(out);
    }

    private static void headers(HttpContext ctx) throws IOException {
        HttpHeaders headers = ctx.request().headers();
        Map<String, Object> result = new LinkedHashMap<>();
        for (String name : headers.names()) {
            var values = headers.getAll(name);
            result.put(name, values.size() == 1 ? values.get(0) : values);
        }
        send(ctx.response(), "application/json", Json.MAPPER.writeValueAsBytes(result));
    }

    private static void info(HttpContext ctx, String serverName) throws IOException {
        HttpRequest request = ctx.request();
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("scheme", request.scheme());
        json.put("host", request.host());
        json.put("pathBase", request.pathBase());
        json.put("path", request.path());
        InetAddress remote = ctx.connection().remoteAddress();
        json.put("remoteAddress", remote == null ? null : remote.getHostAddress());
        // Which connection carried the request (an id unique within the server, and its local port):
        // a proxy's keep-alive connection carries many clients' requests.
        json.put("connectionId", ctx.connection().id());
        json.put("localPort", ctx.connection().localPort());
        json.put("protocol", request.protocol());
        json.put("server", serverName);
        Principal user = ctx.user();
        json.put("user", user == null ? null : user.getName());
        send(ctx.response(), "application/json", Json.MAPPER.writeValueAsBytes(json));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
