package dev.lanner.server.tls;

import dev.lanner.tls.ServerCertificate;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JDK {@link SSLSocket} client speaking HTTP/1.1 by hand, for exact assertions. It trusts the
 * certificates it is given (no host name check: SNI tests ask for names the certificates do not
 * carry); every read is bounded by a socket timeout.
 */
final class TlsClient implements AutoCloseable {

    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    /** One HTTP/1.1 response with a Content-Length body. */
    record Response(int status, String head, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private TlsClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and completes the handshake.
     *
     * @param trusted           the server certificates to trust
     * @param clientCertificate the certificate to offer when asked, or null
     * @param configure         sets protocols, SNI, ALPN before the handshake
     */
    static TlsClient connect(int port, List<ServerCertificate> trusted, ServerCertificate clientCertificate,
                             Consumer<SSLParameters> configure) throws IOException {
        SSLSocket socket = (SSLSocket) context(trusted, clientCertificate).getSocketFactory().createSocket();
        try {
            SSLParameters parameters = socket.getSSLParameters();
            configure.accept(parameters);
            socket.setSSLParameters(parameters);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.startHandshake();
            return new TlsClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    static TlsClient connect(int port, List<ServerCertificate> trusted) throws IOException {
        return connect(port, trusted, null, p -> { });
    }

    static SSLContext context(List<ServerCertificate> trusted, ServerCertificate clientCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                trust.setCertificateEntry("server-" + i, trusted.get(i).leaf());
            }
            TrustManagerFactory trustFactory = TrustManagerFactory.getInstance("PKIX");
            trustFactory.init(trust);
            KeyManagerFactory keyFactory = null;
            if (clientCertificate != null) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("client", clientCertificate.privateKey(), new char[0],
                        clientCertificate.chain().toArray(Certificate[]::new));
                keyFactory = KeyManagerFactory.getInstance("PKIX");
                keyFactory.init(keys, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyFactory == null ? null : keyFactory.getKeyManagers(),
                    new TrustManager[] {trustFactory.getTrustManagers()[0]}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    SSLSocket socket() {
        return socket;
    }

    /** The leaf certificate the server presented. */
    X509Certificate serverLeaf() throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }

    /** Sends {@code GET path} and reads the response. */
    Response get(String path) throws IOException {
        send(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return readResponse();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Response readResponse() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection ended in the response head: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        int status = Integer.parseInt(text.substring(9, 12));
        long length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        return new Response(status, text, in.readNBytes((int) length));
    }

    /** Reads what is left until the server ends the stream. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
