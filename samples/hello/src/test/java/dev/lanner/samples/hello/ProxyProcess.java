package dev.lanner.samples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A reverse proxy from Debian's packages (nginx, Apache httpd) run in the foreground for a test, on
 * loopback ports, with its own configuration, logs and pid file under a test folder. The site
 * configuration is a deployment file of the repository ({@code deploy/}), with only its ports,
 * addresses and paths replaced: each replacement must match, so a change to the file that the
 * test no longer covers fails the test instead of testing something else.
 */
final class ProxyProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Path errorLog;

    private ProxyProcess(String name, Process process, Path log, Path errorLog) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.errorLog = errorLog;
    }

    /** The repository's root (the tests run in samples/hello). */
    static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        assertThat(root.resolve("deploy")).as("repository root with deploy/ above %s", Path.of("").toAbsolutePath()).isDirectory();
        return root;
    }

    /** {@code text} with each key replaced by its value; each key must occur. */
    static String replace(String file, String text, Map<String, String> replacements) {
        String result = text;
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            assertThat(result).as("%s must contain %s (the test replaces it)", file, r.getKey()).contains(r.getKey());
            result = result.replace(r.getKey(), r.getValue());
        }
        return result;
    }

    /** A port free on 127.0.0.1 now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** A self-signed certificate and key for localhost in PEM ({@code cert.pem}, {@code key.pem}), made by openssl. */
    static Path[] selfSignedCertificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        run(dir, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        return new Path[] {cert, key};
    }

    /**
     * nginx in the foreground with {@code httpBlock} (a file for nginx's {@code http} block) in a
     * one-process configuration under {@code dir}; returns once every port in {@code ports} accepts.
     */
    static ProxyProcess nginx(Path dir, String httpBlock, int... ports) throws Exception {
        Files.writeString(dir.resolve("site.conf"), httpBlock);
        for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            Files.createDirectories(dir.resolve(temp));
        }
        String main = """
                # One process, in the foreground, everything under the test's folder.
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/site.conf;
                }
                """.formatted(dir);
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, main);
        String nginx = executable("nginx", "/usr/sbin/nginx");
        run(dir, List.of(nginx, "-t", "-p", dir.toString(), "-c", conf.toString()));
        return start("nginx", dir, List.of(nginx, "-p", dir.toString(), "-c", conf.toString()), dir.resolve("error.log"), ports);
    }

    /**
     * Apache httpd in the foreground with {@code site} (a file for sites-available) under a main
     * configuration that loads what Debian's {@code a2enmod proxy proxy_http headers ssl} enables and
     * listens on {@code listen} (addresses with ports); returns once every port in {@code ports} accepts.
     */
    static ProxyProcess apache(Path dir, String site, List<String> listen, int... ports) throws Exception {
        Files.writeString(dir.resolve("site.conf"), site);
        String modules = "/usr/lib/apache2/modules";
        StringBuilder main = new StringBuilder();
        main.append("ServerRoot ").append(dir).append('\n');
        main.append("DefaultRuntimeDir ").append(dir).append('\n');
        main.append("PidFile ").append(dir).append("/httpd.pid\n");
        main.append("ErrorLog ").append(dir).append("/error.log\n");
        main.append("LogLevel warn\n");
        main.append("ServerName localhost\n");
        for (String module : List.of("mpm_event", "authz_core", "proxy", "proxy_http", "headers", "socache_shmcb", "ssl")) {
            main.append("LoadModule ").append(module).append("_module ").append(modules).append("/mod_").append(module).append(".so\n");
        }
        if ("root".equals(System.getProperty("user.name"))) {
            // httpd refuses to serve as root; its children run as Debian's web user.
            main.append("User www-data\nGroup www-data\n");
        }
        for (String address : listen) {
            main.append("Listen ").append(address).append('\n');
        }
        main.append("Include ").append(dir).append("/site.conf\n");
        Path conf = dir.resolve("httpd.conf");
        Files.writeString(conf, main.toString());
        String httpd = executable("apache2", "/usr/sbin/apache2");
        run(dir, List.of(httpd, "-t", "-f", conf.toString()));
        return start("apache2", dir, List.of(httpd, "-f", conf.toString(), "-DFOREGROUND"), dir.resolve("error.log"), ports);
    }

    private static String executable(String name, String path) {
        assertThat(Path.of(path)).as("%s (Debian package %s; scripts/test installs it)", path,
                name.equals("apache2") ? "apache2" : "nginx").isExecutable();
        return path;
    }

    private static ProxyProcess start(String name, Path dir, List<String> command, Path errorLog, int... ports) throws Exception {
        Path output = dir.resolve(name + ".out");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        ProxyProcess proxy = new ProxyProcess(name, process, output, errorLog);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int port : ports) {
            while (!accepts(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    proxy.close();
                    throw new AssertionError(name + " did not start listening on " + port + ":\n"
                            + tail(output) + tail(errorLog));
                }
                Thread.sleep(20);
            }
        }
        return proxy;
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs {@code command} to its end (bounded); fails with its output when it does not succeed. */
    static String run(Path dir, List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s exit code; output:%n%s", command, text).isZero();
        return text;
    }

    static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "--- " + file.getFileName() + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")\n";
        }
    }

    /** The end of the proxy's output and error log, for failure messages. */
    String logTail() {
        return tail(log) + tail(errorLog);
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM: a fast stop for both; then make sure nothing outlives the test.
        List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    @Override
    public String toString() {
        return name + " pid " + process.pid();
    }
}
