package dev.lanner.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The clients the module's end-to-end tests use: HttpURLConnection for HTTP/1.1, curl for HTTP/2 over TLS. */
final class ModuleClients {

    private ModuleClients() {
    }

    /** The module's first address with {@code scheme} ({@code "http://"}, {@code "https://"}). */
    static String binding(ModuleHost module, String scheme) {
        return module.urls().stream().filter(u -> u.startsWith(scheme)).findFirst().orElseThrow(
                () -> new AssertionError("no " + scheme + " binding in " + module.urls()));
    }

    /** A response as an HTTP/1.1 client saw it (java.net.http is not readable from the module under test). */
    record Response(String url, int status, Map<String, List<String>> headers, String body) {

        Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return Optional.of(e.getValue().get(0));
                }
            }
            return Optional.empty();
        }
    }

    static Response get(String url) throws IOException {
        return send("GET", url, Map.of(), null);
    }

    static Response send(String method, String url, Map<String, String> headers, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(5_000);
            connection.setReadTimeout(30_000);
            connection.setUseCaches(false);
            headers.forEach(connection::setRequestProperty);
            if (body != null) {
                connection.setDoOutput(true);
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                connection.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(url, status, connection.getHeaderFields(), text);
        } finally {
            connection.disconnect();
        }
    }

    record CurlResult(String body, String httpVersion, int status, int localPort) {
    }

    static CurlResult curl(String protocolOption, String url) throws Exception {
        return curl(null, protocolOption, url);
    }

    /** Runs curl (insecure: the development certificate) with {@code stdin} as its input when not null. */
    static CurlResult curl(Path stdin, String... options) throws Exception {
        String marker = "\n--curl-write-out--";
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-k", "--max-time", "30",
                "-w", marker + "%{http_version} %{http_code} %{local_port}"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (stdin != null) {
            builder.redirectInput(stdin.toFile());
        }
        Process curl = builder.redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as("curl exit code; output: %s", out).isZero();
        int at = out.lastIndexOf(marker);
        String[] written = out.substring(at + marker.length()).strip().split(" ");
        return new CurlResult(out.substring(0, at), written[0], Integer.parseInt(written[1]), Integer.parseInt(written[2]));
    }

    static void awaitTrue(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not true within " + limit);
            }
            Thread.sleep(20);
        }
    }
}
