package dev.lanner.hosting.internal;

import dev.lanner.hosting.config.Configuration;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training run for the JDK's ahead-of-time cache (JEP 483/514/515): with {@code Hosting:TrainingRun=true}
 * the application starts as usual, requests each of {@code Hosting:TrainingPaths} (default {@code /}) a few
 * times on each of its own HTTP/1.1 addresses over loopback, each on a connection of its own, then puts
 * keep-alive load with connection churn on each address for {@code Hosting:TrainingDuration} (default 2 s;
 * {@link TrainingLoad}), then stops. Run under {@code -XX:AOTCacheOutput=FILE}, the JVM writes at exit a cache
 * of the classes loaded and linked on the way to the first responses, and of the method profiles of the
 * steady state; later starts with {@code -XX:AOTCache=FILE} skip the first, and the JIT compiles from the
 * second, so that the first connection to end no longer throws compiled code away. The requests only warm
 * code paths: their outcome (even a 404) does not matter, and a failing one is logged at debug and skipped.
 */
public final class TrainingRun {
    /** Configuration key: {@code true} makes {@code WebApplication.run()} a training run. */
    public static final String KEY = "Hosting:TrainingRun";
    /** Configuration key: the paths requested, separated by {@code ;}. */
    public static final String PATHS_KEY = "Hosting:TrainingPaths";
    /** Configuration key: how long the keep-alive load runs on each address ({@code 0} for none). */
    public static final String DURATION_KEY = "Hosting:TrainingDuration";
    /** The default of {@link #DURATION_KEY}. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(2);
    private static final int REQUESTS_PER_PATH = 20;
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final byte[] STATUS_PREFIX = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final Logger log = LoggerFactory.getLogger(TrainingRun.class);

    private TrainingRun() {
    }

    /** Whether the configuration asks for a training run. */
    public static boolean requested(Configuration configuration) {
        return Boolean.parseBoolean(configuration.get(KEY, "false"));
    }

    /**
     * Requests the configured paths on each HTTP/1.1-capable address the application listens on.
     *
     * @param pathBase    prefixed to each path: the mount a module forwards to this application, or empty
     * @param headerLines sent with each request ({@code Name: value\r\n}...): the module's pairing token, or empty
     */
    public static void exercise(Configuration configuration, List<String> addresses, String pathBase,
                                String headerLines) {
        List<String> paths = new ArrayList<>();
        for (String path : configuration.get(PATHS_KEY, "/").split(";")) {
            if (!path.isBlank()) {
                paths.add(pathBase + path.strip());
            }
        }
        Duration duration = configuration.getValue(DURATION_KEY, Duration.class, DEFAULT_DURATION);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(DURATION_KEY + " must not be negative, was " + duration);
        }
        long answered = 0;
        for (String address : addresses) {
            boolean answering = false;
            for (String path : paths) {
                for (int i = 0; i < REQUESTS_PER_PATH; i++) {
                    try {
                        request(URI.create(address), path, headerLines);
                        answered++;
                        answering = true;
                    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                        log.debug("Training request {} {} failed: {}", address, path, e.toString());
                        break;
                    }
                }
            }
            if (answering && !duration.isZero() && !paths.isEmpty()) {
                answered += load(URI.create(address), paths, headerLines, duration);
            }
        }
        log.info("Training run: {} requests answered on {} addresses; stopping", answered, addresses.size());
    }

    /** The keep-alive load with connection churn ({@link TrainingLoad}) on one address. */
    private static long load(URI address, List<String> paths, String headerLines, Duration duration) {
        Target target = Target.of(address);
        List<byte[]> requests = new ArrayList<>(paths.size());
        for (String path : paths) {
            requests.add(TrainingLoad.request(path, target.authority(), headerLines));
        }
        try {
            TrainingLoad load = new TrainingLoad(target.host(), target.port(), target.tls() ? trustingContext() : null,
                    requests);
            long answered = load.run(duration);
            log.debug("Training load on {}: {} responses on {} connections", address, answered, load.connections());
            return answered;
        } catch (GeneralSecurityException e) {
            log.debug("Training load on {} not run: {}", address, e.toString());
            return 0;
        }
    }

    /** One {@code GET} with {@code Connection: close}, read to the end. */
    private static void request(URI address, String path, String headerLines)
            throws IOException, GeneralSecurityException {
        Target target = Target.of(address);
        try (Socket socket = target.tls() ? tlsSocket(target.host(), target.port()) : new Socket()) {
            if (!target.tls()) {
                socket.connect(new InetSocketAddress(target.host(), target.port()), TIMEOUT_MILLIS);
            }
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(TrainingLoad.request(path, target.authority(), headerLines + "Connection: close\r\n"));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] start = in.readNBytes(STATUS_PREFIX.length);
            if (!Arrays.equals(start, STATUS_PREFIX)) {
                // An endpoint that speaks HTTP/2 only (prior knowledge) answers with frames, or closes.
                throw new ProtocolException("no HTTP/1.1 response");
            }
            byte[] buffer = new byte[8192];
            while (in.read(buffer) >= 0) {
                // Read to the end: the response's bytes are not needed, only the code that produced them.
            }
        }
    }

    /** Where a training client connects for one of the application's addresses. */
    private record Target(boolean tls, String host, int port) {
        static Target of(URI address) {
            boolean tls = "https".equalsIgnoreCase(address.getScheme());
            return new Target(tls, loopbackFor(address.getHost()),
                    address.getPort() > 0 ? address.getPort() : tls ? 443 : 80);
        }

        /** The Host header's value. */
        String authority() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /** The address a wildcard or host name binding is reached at from this machine. */
    private static String loopbackFor(String host) {
        if (host == null || host.isEmpty() || host.equals("0.0.0.0") || host.equals("*") || host.equals("+")
                || host.equalsIgnoreCase("localhost")) {
            return "127.0.0.1";
        }
        if (host.startsWith("[")) {
            String inner = host.substring(1, host.length() - 1);
            return inner.equals("::") ? "::1" : inner;
        }
        return host;
    }

    /**
     * A TLS socket that trusts any certificate: it only ever talks to this process over loopback, to load
     * the TLS code paths, and sends nothing secret.
     */
    private static SSLSocket tlsSocket(String host, int port) throws IOException, GeneralSecurityException {
        SSLSocket socket = (SSLSocket) trustingContext().getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    private static SSLContext trustingContext() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingManager()}, null);
        return context;
    }

    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
