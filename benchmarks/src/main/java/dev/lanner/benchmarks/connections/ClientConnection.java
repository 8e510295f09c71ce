package dev.lanner.benchmarks.connections;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One client connection on a blocking socket: {@link #get()} makes one {@code GET /plaintext} and
 * returns the response's status; between calls the connection is left idle (nothing reads it).
 */
abstract sealed class ClientConnection permits Http1ClientConnection, H2cClientConnection {

    /** A read that waits this long means the server stopped answering. */
    static final int READ_TIMEOUT_MILLIS = 15_000;
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    ClientConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to {@code server} from {@code source} (null: the kernel's choice), handshakes TLS when
     * {@code protocol} is TLS (ALPN http/1.1 only) and the HTTP/2 preface for h2c.
     */
    static ClientConnection open(Protocol protocol, InetSocketAddress server, InetAddress source,
            SSLSocketFactory tls) throws IOException {
        Socket socket = protocol == Protocol.TLS ? tls.createSocket() : new Socket();
        try {
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            socket.connect(server, CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            String authority = server.getAddress().getHostAddress() + ":" + server.getPort();
            return switch (protocol) {
                case HTTP1 -> new Http1ClientConnection(socket, authority);
                case TLS -> {
                    SSLSocket ssl = (SSLSocket) socket;
                    SSLParameters parameters = ssl.getSSLParameters();
                    parameters.setApplicationProtocols(new String[] {"http/1.1"});
                    ssl.setSSLParameters(parameters);
                    ssl.startHandshake();
                    yield new Http1ClientConnection(socket, authority);
                }
                case H2C -> new H2cClientConnection(socket, authority);
            };
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends {@code GET /plaintext}, reads the whole response and returns its status. */
    abstract int get() throws IOException;

    /** What was negotiated, for the report (TLS version, cipher suite, ALPN), or "". */
    String describe() {
        if (socket instanceof SSLSocket ssl) {
            return ssl.getSession().getProtocol() + " " + ssl.getSession().getCipherSuite() + " ALPN "
                    + ssl.getApplicationProtocol();
        }
        return "";
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing at the end of the run: nothing to do about it
        }
    }

    /** Reads exactly {@code n} bytes into {@code buffer} from 0. */
    final void readFully(byte[] buffer, int n) throws IOException {
        int read = 0;
        while (read < n) {
            int r = in.read(buffer, read, n - read);
            if (r < 0) {
                throw new IOException("closed by the server");
            }
            read += r;
        }
    }
}
