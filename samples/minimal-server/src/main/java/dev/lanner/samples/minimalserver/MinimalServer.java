package dev.lanner.samples.minimalserver;

import dev.lanner.http.HttpHeaders;
import dev.lanner.http.RequestPaths;
import dev.lanner.http.features.DefaultHttpRequestFeature;
import dev.lanner.http.features.DefaultHttpResponseFeature;
import dev.lanner.http.features.DefaultServerAddressesFeature;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.Features;
import dev.lanner.http.features.HttpRequestFeature;
import dev.lanner.http.features.HttpResponseBodyFeature;
import dev.lanner.http.features.HttpResponseFeature;
import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.Server;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The smallest useful {@link Server}: one request per connection, bodies with a Content-Length
 * only, the whole response buffered. It supplies just the request feature and the response
 * features (head and body), which is what the contract asks of every server — and passes the
 * server test kit's core suite ({@code CoreServerContractTests}). Not for production: no limits,
 * no timeouts, no keep-alive, no chunked request bodies.
 */
public final class MinimalServer implements Server {

    private final Features features = new Features();
    private final DefaultServerAddressesFeature addresses = new DefaultServerAddressesFeature();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Object idle = new Object();
    private volatile ServerSocket listener;

    public MinimalServer() {
        features.set(ServerAddressesFeature.class, addresses);
    }

    @Override
    public FeatureCollection features() {
        return features;
    }

    /** Listens on the first configured address ({@code http://host:port}; port 0 picks a free one). */
    @Override
    public <C> void start(HttpApplication<C> application) throws IOException {
        URI url = URI.create(addresses.addresses().isEmpty() ? DEFAULT_URL : addresses.addresses().get(0));
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(url.getHost(), Math.max(url.getPort(), 0)), 128);
        listener = socket;
        addresses.addresses().clear();
        addresses.addresses().add("http://" + url.getHost() + ":" + socket.getLocalPort());
        Thread.ofPlatform().name("minimal-server-accept").daemon().start(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    connections.add(connection);
                    Thread.ofVirtual().start(() -> serve(connection, application));
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    /** Closes the listener, waits for running requests up to {@code gracePeriod}, then closes what is left. */
    @Override
    public void stop(Duration gracePeriod) throws IOException, InterruptedException {
        ServerSocket socket = listener;
        if (socket == null) {
            return;
        }
        socket.close();
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        synchronized (idle) {
            while (!connections.isEmpty() && System.nanoTime() < deadline) {
                idle.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        for (Socket connection : connections) {
            connection.close();
        }
    }

    private <C> void serve(Socket connection, HttpApplication<C> application) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            String[] requestLine = readLine(in).split(" ");
            if (requestLine.length != 3) {
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            HttpHeaders headers = new HttpHeaders();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.add(line.substring(0, Math.max(colon, 0)), line.substring(colon + 1).trim());
            }
            long length = Math.max(headers.contentLength(), 0);

            // The two features every server supplies: the request as parsed, and the response.
            DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
            request.setMethod(requestLine[0]);
            request.setRawTarget(requestLine[1]);
            request.setProtocol(requestLine[2]);
            request.setPath(RequestPaths.decodePath(RequestPaths.pathOf(requestLine[1])));
            request.setQueryString(RequestPaths.queryOf(requestLine[1]));
            request.setHeaders(headers);
            request.setBody(new ByteArrayInputStream(in.readNBytes((int) length)));
            DefaultHttpResponseFeature response = new DefaultHttpResponseFeature();
            BufferedBody body = new BufferedBody(response);
            Features requestFeatures = new Features();
            requestFeatures.set(HttpRequestFeature.class, request);
            requestFeatures.set(HttpResponseFeature.class, response);
            requestFeatures.set(HttpResponseBodyFeature.class, body);

            C context = application.createContext(requestFeatures);
            Throwable failure = null;
            try {
                application.processRequest(context);
                body.start();
            } catch (Throwable t) {
                failure = t;
                response.headers().clear();
                response.setStatusCode(500);
                body.bytes.reset();
            }
            writeResponse(out, response, body.bytes.toByteArray(), requestLine[0].equals("HEAD"));
            response.fireOnCompleted();
            application.disposeContext(context, failure);
        } catch (IOException clientGone) {
            // Nothing to answer: the connection is closed below.
        } finally {
            connections.remove(connection);
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private static void writeResponse(OutputStream out, HttpResponseFeature response, byte[] body, boolean head)
            throws IOException {
        int status = response.statusCode();
        boolean bodyless = status == 204 || status == 304 || status < 200;
        StringBuilder text = new StringBuilder("HTTP/1.1 ").append(status).append(" \r\n");
        HttpHeaders headers = response.headers();
        for (int i = 0; i < headers.size(); i++) {
            if (!headers.nameAt(i).equalsIgnoreCase("Content-Length")) {
                text.append(headers.nameAt(i)).append(": ").append(headers.valueAt(i)).append("\r\n");
            }
        }
        if (!bodyless) {
            text.append("Content-Length: ").append(body.length).append("\r\n");
        }
        text.append("Connection: close\r\n\r\n");
        out.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!head && !bodyless) {
            out.write(body);
        }
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-request");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The response body feature: everything is buffered and sent with its length once the application returns. */
    private static final class BufferedBody implements HttpResponseBodyFeature {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DefaultHttpResponseFeature response;
        private final OutputStream stream = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                start();
                bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                start();
                bytes.write(b, off, len);
            }
        };

        BufferedBody(DefaultHttpResponseFeature response) {
            this.response = response;
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public void start() throws IOException {
            if (response.hasStarted()) {
                return;
            }
            try {
                response.fireOnStarting();
            } catch (Exception e) {
                throw new IOException(e);
            }
            response.headers().makeReadOnly();
        }

        @Override
        public void complete() throws IOException {
            start();
        }

        @Override
        public void sendFile(Path file, long offset, long count) throws IOException {
            byte[] all = Files.readAllBytes(file);
            int from = (int) offset;
            stream.write(all, from, count < 0 ? all.length - from : (int) count);
        }

        @Override
        public void disableBuffering() {
            // Everything is buffered by design.
        }
    }
}
