package dev.lanner.benchmarks.soak;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A well-behaved HTTP/1.1 client on one persistent connection over a raw socket: with a depth of 1
 * it sends a request and reads its response (keep-alive); with a larger depth it writes that many
 * requests in one write and then reads the responses in order (pipelining, RFC 9112 §9.3.2).
 */
final class Http1Client extends WellBehavedClient {

    private final InetSocketAddress server;
    private final String authority;
    private final int depth;
    private final Random random = new Random();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private long n;

    Http1Client(String kind, SoakControl control, InetSocketAddress server, int depth, double exchangesPerSecond) {
        super(kind, control, exchangesPerSecond);
        this.server = server;
        this.authority = server.getHostString() + ":" + server.getPort();
        this.depth = depth;
    }

    @Override
    void open() throws IOException {
        socket = new Socket();
        socket.connect(server, 5_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    @Override
    void exchange() throws IOException {
        List<WellBehavedRequest> requests = new ArrayList<>(depth);
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            WellBehavedRequest request = WellBehavedRequest.nth(n++, random);
            requests.add(request);
            batch.writeBytes(request.http1(authority));
        }
        long start = System.nanoTime();
        out.write(batch.toByteArray());
        out.flush();
        for (WellBehavedRequest request : requests) {
            Http1Response response = Http1Response.read(in, request.method());
            if (response == null) {
                throw new java.io.EOFException("connection closed before the response");
            }
            String mismatch = request.mismatch(response.status(), response.body());
            if (mismatch != null) {
                throw new ResponseMismatch(mismatch);
            }
            if (response.closes()) {
                throw new ResponseMismatch("Connection: close on a keep-alive request");
            }
            control.counters().served(kind, System.nanoTime() - start);
        }
    }

    @Override
    void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
            socket = null;
        }
    }
}
