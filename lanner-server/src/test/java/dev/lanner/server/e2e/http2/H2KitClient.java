package dev.lanner.server.e2e.http2;

import dev.lanner.testkit.KitClient;
import dev.lanner.testkit.KitRequest;
import dev.lanner.testkit.KitResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server test kit's client over h2c with prior knowledge (RFC 9113 §3.3), built on the conformance
 * tests' {@link H2Connection}: each request is a stream on an idle connection, reused for the next
 * request (so consecutive requests share one HTTP/2 connection, as the kit's per-request rules
 * expect); concurrent requests open more connections, since {@code H2Connection} reads one response at
 * a time. A reset stream, a GOAWAY or a closed connection is an {@link IOException}, as the JDK client
 * reports them.
 */
public final class H2KitClient implements KitClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port;
    private final ArrayDeque<H2Connection> idle = new ArrayDeque<>();
    private final List<H2Connection> all = new ArrayList<>();

    private H2KitClient(int port) {
        this.port = port;
    }

    /** A client for the h2c server listening on the loopback {@code port}. */
    public static H2KitClient connect(int port) {
        return new H2KitClient(port);
    }

    @Override
    public KitResponse send(KitRequest request) throws IOException {
        H2Connection connection = take();
        boolean reusable = false;
        try {
            List<String> fields = new ArrayList<>();
            for (Map.Entry<String, String> field : request.headers()) {
                fields.add(field.getKey().toLowerCase(Locale.ROOT));
                fields.add(field.getValue());
            }
            byte[] body = request.body();
            if (!request.unknownLength() && body.length > 0) {
                fields.add("content-length");
                fields.add(Integer.toString(body.length));
            }
            boolean hasBody = body.length > 0 || request.unknownLength();
            int streamId = connection.request(request.method(), request.target(), !hasBody, fields.toArray(String[]::new));
            if (hasBody) {
                connection.sendData(streamId, body, true);
            }
            H2Response response = connection.readResponse(streamId);
            if (response.resetCode() >= 0) {
                throw new IOException("the server reset stream " + streamId + ": " + response);
            }
            reusable = true;
            return new KitResponse(response.status(), headers(response), response.body());
        } catch (AssertionError e) {
            // H2Connection reports a GOAWAY, an unexpected frame or a closed connection this way.
            throw new IOException(e.getMessage(), e);
        } finally {
            release(connection, reusable);
        }
    }

    private static Map<String, List<String>> headers(H2Response response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, String> field : response.fields()) {
            if (!field.getKey().startsWith(":")) {
                headers.computeIfAbsent(field.getKey(), k -> new ArrayList<>()).add(field.getValue());
            }
        }
        return headers;
    }

    private H2Connection take() throws IOException {
        synchronized (this) {
            H2Connection reused = idle.poll();
            if (reused != null) {
                return reused;
            }
        }
        H2Connection fresh;
        try {
            fresh = H2Connection.open(port);
            fresh.setReadTimeout(TIMEOUT);
            fresh.handshake();
        } catch (AssertionError e) {
            throw new ConnectException("no HTTP/2 connection to port " + port + ": " + e.getMessage());
        }
        synchronized (this) {
            all.add(fresh);
        }
        return fresh;
    }

    private synchronized void release(H2Connection connection, boolean reusable) {
        if (reusable) {
            idle.push(connection);
        } else {
            all.remove(connection);
            connection.close();
        }
    }

    @Override
    public synchronized void close() {
        all.forEach(H2Connection::close);
        all.clear();
        idle.clear();
    }
}
