package dev.lanner.benchmarks.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A well-behaved HTTP/2 client on one persistent connection: h2c with prior knowledge, or h2 over
 * TLS negotiated by ALPN when given an {@link SSLContext}; each exchange sends a batch of concurrent
 * streams and verifies every response.
 */
final class H2Client extends WellBehavedClient {

    private final InetSocketAddress server;
    private final SSLContext tls;
    private final int streams;
    private final Random random = new Random();
    private H2ClientConnection connection;
    private long n;

    H2Client(String kind, SoakControl control, InetSocketAddress server, SSLContext tls, int streams,
            double exchangesPerSecond) {
        super(kind, control, exchangesPerSecond);
        this.server = server;
        this.tls = tls;
        this.streams = streams;
    }

    @Override
    void open() throws IOException {
        connection = connect(server, tls);
    }

    /** Opens an HTTP/2 connection: h2c with prior knowledge, or TLS with ALPN h2 when {@code tls} is given. */
    static H2ClientConnection connect(InetSocketAddress server, SSLContext tls) throws IOException {
        Socket socket;
        if (tls == null) {
            socket = new Socket();
            socket.connect(server, 5_000);
        } else {
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket();
            ssl.connect(server, 5_000);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"h2"});
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(parameters);
            ssl.setSoTimeout(10_000);
            ssl.startHandshake();
            if (!"h2".equals(ssl.getApplicationProtocol())) {
                ssl.close();
                throw new IOException("ALPN chose " + ssl.getApplicationProtocol() + ", not h2");
            }
            socket = ssl;
        }
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        return new H2ClientConnection(socket, tls == null ? "http" : "https", server.getHostString() + ":" + server.getPort());
    }

    @Override
    void exchange() throws IOException {
        List<WellBehavedRequest> requests = new ArrayList<>(streams);
        for (int i = 0; i < streams; i++) {
            requests.add(WellBehavedRequest.nth(n++, random));
        }
        long start = System.nanoTime();
        List<H2ClientConnection.Response> responses = connection.exchange(requests);
        for (int i = 0; i < requests.size(); i++) {
            String mismatch = requests.get(i).mismatch(responses.get(i).status(), responses.get(i).body());
            if (mismatch != null) {
                throw new ResponseMismatch(mismatch);
            }
            control.counters().served(kind, System.nanoTime() - start);
        }
    }

    @Override
    void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing
            }
            connection = null;
        }
    }
}
