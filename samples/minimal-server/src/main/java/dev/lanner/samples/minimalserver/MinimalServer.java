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
import dev.lanner.http.server.core.EndOfContent;
import dev.lanner.http.server.core.FileSender;
import dev.lanner.http.server.core.RequestLifecycle;
import dev.lanner.http.server.core.ResponseCallbacks;
import dev.lanner.http.server.core.ResponseFraming;
import dev.lanner.http.server.core.ServerExchange;
import java.io.BufferedInputStream;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The smallest useful {@link Server}: one request per connection, bodies with a Content-Length only,
 * the whole response buffered. It supplies the request and response features the contract asks of
 * every server and leaves the rest to the request core: {@link RequestLifecycle} runs each request,
 * {@link ResponseFraming} frames the response, {@link FileSender} sends files. It passes the server
 * test kit's core suite ({@code CoreServerContractTests}). Not for production: no limits, no
 * timeouts, no keep-alive, no chunked request bodies.
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

    private void serve(Socket connection, HttpApplication<?> application) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            String[] requestLine = readLine(in).split(" ");
            if (requestLine.length != 3) {
                connection.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                return;
            }
            HttpHeaders headers = new HttpHeaders();
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                int colon = line.indexOf(':');
                headers.add(line.substring(0, Math.max(colon, 0)), line.substring(colon + 1).trim());
            }
            // The request feature every server supplies: the request as parsed.
            DefaultHttpRequestFeature request = new DefaultHttpRequestFeature();
            request.setMethod(requestLine[0]);
            request.setRawTarget(requestLine[1]);
            request.setProtocol(requestLine[2]);
            request.setPath(RequestPaths.decodePath(RequestPaths.pathOf(requestLine[1])));
            request.setQueryString(RequestPaths.queryOf(requestLine[1]));
            request.setHeaders(headers);
            request.setBody(new ByteArrayInputStream(in.readNBytes((int) Math.max(headers.contentLength(), 0))));
            // The core runs the request: create the context, process, complete, 500 on failure, callbacks, dispose.
            RequestLifecycle.run(application, new Exchange(request, connection.getOutputStream()));
        } catch (IOException clientGone) {
            // Nothing to answer: the connection is closed.
        } finally {
            connections.remove(connection);
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-request");
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.ISO_8859_1).strip();   // without the CR
    }

    /**
     * One request: the features the application sees (request, response, and the response body, all
     * buffered: the exchange is its own body stream) and what {@link RequestLifecycle} asks of a
     * server. Runs on the connection's thread.
     */
    private static final class Exchange extends OutputStream implements ServerExchange, HttpResponseBodyFeature {
        private final Features features = new Features();
        private final DefaultHttpResponseFeature response = new DefaultHttpResponseFeature();
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final ResponseFraming framing = new ResponseFraming();
        private final OutputStream out;
        private boolean sent;
        private boolean aborted;

        Exchange(DefaultHttpRequestFeature request, OutputStream out) {
            this.out = out;
            features.set(HttpRequestFeature.class, request);
            features.set(HttpResponseFeature.class, response);
            features.set(HttpResponseBodyFeature.class, this);
        }

        // What the lifecycle asks of a server.
        @Override public FeatureCollection features() { return features; }
        @Override public boolean hasStarted() { return response.hasStarted(); }
        @Override public boolean isAborted() { return aborted; }
        @Override public ResponseCallbacks callbacks() { return response.callbacks(); }
        @Override public void completeResponse() throws IOException { complete(); }
        @Override public void abortAfterFailure(String reason) { aborted = true; }   // serve() closes the socket
        @Override public String describe() { return "minimal-server request"; }

        @Override
        public void resetResponseForError(int status) {
            body.reset();
            response.setHeaders(new HttpHeaders());
            response.setStatusCode(status);
            response.markStarted();   // the failed response's onStarting callbacks do not run
        }

        // The response body feature.
        @Override public OutputStream stream() { return this; }
        @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
        @Override public void disableBuffering() { }   // everything is buffered by design

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            start();
            body.write(b, off, len);
        }

        @Override
        public void start() throws IOException {
            response.fireOnStarting();   // once: callbacks, then status and headers freeze
        }

        @Override
        public void sendFile(Path file, long offset, long count) throws IOException {
            FileSender.send(file, offset, count, this::write);   // checks the range before writing
        }

        /** Sends the whole response; the core decides its framing (Content-Length, HEAD, 204/304). */
        @Override
        public void complete() throws IOException {
            if (sent) {
                return;
            }
            start();
            sent = true;
            HttpHeaders headers = response.headers();
            boolean head = features.get(HttpRequestFeature.class).method().equals("HEAD");
            EndOfContent end = framing.decide(ResponseFraming.Protocol.HTTP_1_1, response.statusCode(), head, false,
                    headers.get("Content-Length"), headers.get("Transfer-Encoding"), headers.get("Connection"),
                    false, true, body.size(), false);   // one request per connection; the body is all here
            StringBuilder text = new StringBuilder("HTTP/1.1 ").append(response.statusCode()).append(" \r\n");
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.nameAt(i);
                if (!(framing.dropContentLength() && name.equalsIgnoreCase("Content-Length"))
                        && !(framing.dropTransferEncoding() && name.equalsIgnoreCase("Transfer-Encoding"))) {
                    text.append(name).append(": ").append(headers.valueAt(i)).append("\r\n");
                }
            }
            if (framing.addContentLength()) {
                text.append("Content-Length: ").append(framing.contentLength()).append("\r\n");
            }
            if (framing.addConnectionClose()) {
                text.append("Connection: close\r\n");
            }
            out.write(text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            if (end != EndOfContent.NONE) {
                body.writeTo(out);
            }
            out.flush();
        }
    }
}
