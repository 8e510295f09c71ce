package dev.lanner.module.internal.forwarding;

import dev.lanner.hosting.integration.EdgeIdentityHeaders;
import dev.lanner.hosting.integration.ModuleIntegration;
import dev.lanner.hosting.integration.ModuleUser;
import dev.lanner.http.BadHttpRequestException;
import dev.lanner.http.HttpContext;
import dev.lanner.http.HttpHeaders;
import dev.lanner.http.HttpRequest;
import dev.lanner.http.HttpResponse;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;

/**
 * Forwards one request to a backend over HTTP/1.1 and streams the response back: the client may
 * have spoken HTTP/1.1, HTTPS or HTTP/2 at the edge. Bodies stream both ways in buffer-sized pieces,
 * never whole. Hop-by-hop fields (RFC 9110 §7.6.1) are dropped; {@code Lanner-*} fields from the
 * client are dropped and the module's own are added with {@code X-Forwarded-For} (with the client's
 * port), {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}.
 */
public final class Forwarder {

    /** The pairing-token header the integration middleware checks. */
    public static final String TOKEN_HEADER = "Lanner-Token";

    private static final byte[] HTTP11_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int CHUNK = 16 * 1024;

    private final byte[] tokenLine;
    private final boolean forwardClientCertificate;

    /** A forwarder that adds {@code Lanner-Token: token} to every request. */
    public Forwarder(String token) {
        this(token, false);
    }

    /**
     * @param forwardClientCertificate whether the edge's client certificate goes to the application
     *                                 ({@code Lanner-Client-Certificate})
     */
    public Forwarder(String token, boolean forwardClientCertificate) {
        this.tokenLine = (TOKEN_HEADER + ": " + token + "\r\n").getBytes(StandardCharsets.US_ASCII);
        this.forwardClientCertificate = forwardClientCertificate;
    }

    /**
     * Forwards {@code context}'s request to a connection of {@code pool} and writes the response to
     * {@code context}'s response; returns once the response is complete.
     *
     * @param timeout how long the backend may take to send the response head, and at most to stay
     *                silent while sending its body
     * @throws ForwardingException when the request cannot be forwarded or the response not relayed
     */
    public void forward(HttpContext context, UpstreamPool pool, Duration timeout)
            throws ForwardingException, BadHttpRequestException {
        HttpRequest request = context.request();
        HttpResponse response = context.response();
        RequestBuffer head = new RequestBuffer();
        writeHead(context, head, pool.address());
        BodyPlan body = planBody(request, head);

        UpstreamConnection connection = acquire(pool, false);
        boolean pooled = connection.served > 0;
        try {
            try {
                send(connection, head, body, request);
                connection.setReadTimeout(timeoutMillis(timeout));
                connection.readHead(connection.head);
            } catch (BadHttpRequestException bad) {
                throw bad;
            } catch (IOException e) {
                // A pooled connection the backend closed while idle: nothing was processed, try a new one.
                if (pooled && body.replayable() && !(e instanceof SocketTimeoutException) && !(e instanceof BadResponseException)
                        && connection.nothingReceived()) {
                    connection.close();
                    try {
                        connection = acquire(pool, true);
                    } catch (ForwardingException refused) {
                        // Not an idle close after all: the process no longer accepts connections, so it
                        // died (was killed) with this request sent to it. Report the connection lost (the
                        // caller answers "crashed"), not CONNECT_FAILED, which tells the caller that
                        // nothing reached a process and makes it start a new one and send the request
                        // again: a request the dead process may have begun would run twice.
                        throw new ForwardingException(ForwardingException.Kind.CONNECTION_LOST, false,
                                "connection to " + pool.address() + " lost before the response: " + e.getMessage()
                                        + "; and " + refused.getMessage(), e);
                    }
                    send(connection, head, body, request);
                    connection.setReadTimeout(timeoutMillis(timeout));
                    connection.readHead(connection.head);
                } else {
                    throw e;
                }
            }
        } catch (BadHttpRequestException bad) {
            // The client's body broke the server's rules (too large, a bad chunk): the server answers
            // it with its own status (413, 400), as for any application; the upstream exchange is void.
            connection.close();
            throw bad;
        } catch (SocketTimeoutException e) {
            connection.close();
            throw new ForwardingException(ForwardingException.Kind.TIMEOUT, false,
                    "no response from " + pool.address() + " within " + timeout.toSeconds() + " s", e);
        } catch (BadResponseException e) {
            connection.close();
            throw new ForwardingException(ForwardingException.Kind.BAD_RESPONSE, false, e.getMessage(), e);
        } catch (ForwardingException e) {
            throw e;
        } catch (IOException e) {
            connection.close();
            throw new ForwardingException(ForwardingException.Kind.CONNECTION_LOST, false,
                    "connection to " + pool.address() + " lost before the response: " + e.getMessage(), e);
        }

        ResponseHead responseHead = connection.head;
        try {
            relayHead(responseHead, response);
            relayBody(connection, responseHead, request.method(), response);
        } catch (IOException e) {
            connection.close();
            if (e instanceof SocketTimeoutException) {
                throw new ForwardingException(ForwardingException.Kind.TIMEOUT, response.hasStarted(),
                        "the response body from " + pool.address() + " stalled for " + timeout.toSeconds() + " s", e);
            }
            throw new ForwardingException(e instanceof BadResponseException ? ForwardingException.Kind.BAD_RESPONSE
                    : ForwardingException.Kind.CONNECTION_LOST, response.hasStarted(),
                    "relaying the response from " + pool.address() + " failed: " + e.getMessage(), e);
        }
        if (responseHead.close) {
            connection.close();
        } else {
            connection.completed();
            pool.release(connection);
        }
    }

    private static int timeoutMillis(Duration timeout) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    }

    private static UpstreamConnection acquire(UpstreamPool pool, boolean fresh) throws ForwardingException {
        try {
            return fresh ? pool.connect() : pool.acquire();
        } catch (IOException e) {
            throw new ForwardingException(ForwardingException.Kind.CONNECT_FAILED, false,
                    "cannot connect to " + pool.address() + ": " + e.getMessage(), e);
        }
    }

    // ---- request ----

    /** How the request body goes out: none, with its Content-Length, or chunked. */
    private record BodyPlan(long length, boolean chunked, byte[] first, int firstLength) {

        static final BodyPlan NONE = new BodyPlan(0, false, null, 0);

        /** Whether the request can be sent again on another connection: no body bytes were consumed. */
        boolean replayable() {
            return length == 0 && !chunked;
        }
    }

    void writeHead(HttpContext context, RequestBuffer head, java.net.InetSocketAddress backend) {
        HttpRequest request = context.request();
        head.ascii(request.method()).write(' ');
        String target = request.rawTarget();
        if (target == null || target.isEmpty()) {
            String query = request.queryString();
            target = request.pathBase() + request.path() + (query == null ? "" : query);
        }
        head.latin1(target).write(HTTP11_CRLF);
        String host = request.host();
        if (host != null && !host.isEmpty()) {
            head.ascii("Host: ").latin1(host).crlf();
        } else {
            // An HTTP/1.0 client may send no Host; HTTP/1.1 to the backend needs one (RFC 9112 §3.2).
            head.ascii("Host: ").ascii(backend.getAddress().getHostAddress()).write(':').decimal(backend.getPort()).crlf();
        }
        HttpHeaders headers = request.headers();
        String connectionOptions = headers.get("Connection");
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.nameAt(i);
            if (isDroppedRequestField(name) || (connectionOptions != null && listed(connectionOptions, name))) {
                continue;
            }
            head.latin1(name).write(':').write(' ').latin1(headers.valueAt(i)).crlf();
        }
        InetAddress client = context.connection().remoteAddress();
        if (client != null) {
            head.ascii("X-Forwarded-For: ");
            if (client instanceof Inet6Address) {
                head.write('[').ascii(client.getHostAddress()).write(']');
            } else {
                head.ascii(client.getHostAddress());
            }
            head.write(':').decimal(context.connection().remotePort()).crlf();
        }
        head.ascii("X-Forwarded-Proto: ").ascii(request.scheme()).crlf();
        if (host != null && !host.isEmpty()) {
            head.ascii("X-Forwarded-Host: ").latin1(host).crlf();
        }
        head.write(tokenLine);
        // The edge's identity, which the application's integration trusts only with the token; a client's
        // own Lanner-* fields were dropped above, so it cannot forge these.
        Principal user = context.user();
        if (user != null) {
            head.ascii(ModuleIntegration.USER_HEADER).write(':').write(' ').ascii(EdgeIdentityHeaders.encodeUser(user.getName())).crlf();
            head.ascii(ModuleIntegration.AUTHENTICATION_TYPE_HEADER).write(':').write(' ')
                    .ascii(user instanceof ModuleUser moduleUser ? moduleUser.authenticationType() : "Module").crlf();
        }
        if (forwardClientCertificate) {
            X509Certificate certificate = context.connection().clientCertificate();
            if (certificate != null) {
                head.ascii(ModuleIntegration.CLIENT_CERTIFICATE_HEADER).write(':').write(' ')
                        .ascii(EdgeIdentityHeaders.encodeCertificate(certificate)).crlf();
            }
        }
    }

    /**
     * Ends the head with the body's framing. A body of known length small enough rides in the same
     * buffer as the head (one write); otherwise it streams after it.
     */
    private static BodyPlan planBody(HttpRequest request, RequestBuffer head)
            throws ForwardingException, BadHttpRequestException {
        long length = request.contentLength();
        try {
            if (length >= 0) {
                head.ascii("Content-Length: ").decimal(length).crlf().crlf();
                if (length == 0) {
                    return BodyPlan.NONE;
                }
                if (length <= CHUNK) {
                    int n = (int) length;
                    head.ensure(n);
                    InputStream in = request.body();
                    int read = in.readNBytes(head.bytes, head.length, n);
                    if (read != n) {
                        throw new EOFException("request body ended after " + read + " of " + n + " bytes");
                    }
                    head.length += n;
                    // In the buffer already: as replayable as no body at all.
                    return BodyPlan.NONE;
                }
                return new BodyPlan(length, false, null, 0);
            }
            // No length: HTTP/1.1 without a body, or a body of unknown length (chunked, or HTTP/2 without
            // content-length). One read tells which.
            byte[] first = new byte[CHUNK];
            int n = request.body().read(first);
            if (n < 0) {
                head.crlf();
                return BodyPlan.NONE;
            }
            head.write(CHUNKED).crlf();
            return new BodyPlan(-1, true, first, n);
        } catch (BadHttpRequestException bad) {
            throw bad;
        } catch (IOException e) {
            throw new ForwardingException(ForwardingException.Kind.CONNECTION_LOST, false,
                    "reading the request body from the client failed: " + e.getMessage(), e);
        }
    }

    private static void send(UpstreamConnection connection, RequestBuffer head, BodyPlan body, HttpRequest request)
            throws IOException {
        OutputStream out = connection.out();
        out.write(head.bytes, 0, head.length);
        if (body.chunked()) {
            byte[] buffer = body.first();
            int n = body.firstLength();
            InputStream in = request.body();
            while (n >= 0) {
                if (n > 0) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(buffer, 0, n);
                    out.write('\r');
                    out.write('\n');
                }
                n = in.read(buffer);
            }
            out.write(LAST_CHUNK);
        } else if (body.length() > 0) {
            InputStream in = request.body();
            byte[] buffer = new byte[CHUNK];
            long left = body.length();
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new EOFException("request body ended " + left + " bytes early");
                }
                out.write(buffer, 0, n);
                left -= n;
            }
        }
        out.flush();
    }

    /** Fields that do not travel to the backend as the client sent them. */
    static boolean isDroppedRequestField(String name) {
        int length = name.length();
        if (length >= 7 && name.regionMatches(true, 0, "lanner-", 0, 7)) {
            return true;
        }
        if (length > 0 && name.charAt(0) == ':') {
            return true;
        }
        return switch (length) {
            case 2 -> name.equalsIgnoreCase("te");
            case 4 -> name.equalsIgnoreCase("host");
            case 6 -> name.equalsIgnoreCase("expect");
            case 7 -> name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 14 -> name.equalsIgnoreCase("content-length");
            case 15 -> name.equalsIgnoreCase("x-forwarded-for");
            case 16 -> name.equalsIgnoreCase("x-forwarded-host") || name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("x-forwarded-proto") || name.equalsIgnoreCase("transfer-encoding");
            default -> false;
        };
    }

    private static boolean listed(String connectionOptions, String name) {
        for (String option : connectionOptions.split(",")) {
            if (option.strip().equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    // ---- response ----

    static void relayHead(ResponseHead head, HttpResponse response) {
        response.setStatusCode(head.status);
        HttpHeaders headers = response.headers();
        for (int i = 0, n = head.size(); i < n; i++) {
            String name = head.names.get(i);
            if (isDroppedResponseField(name)
                    || (!head.connectionOptions.isEmpty() && head.connectionOptions.contains(name.toLowerCase(Locale.ROOT)))) {
                continue;
            }
            headers.add(name, head.values.get(i));
        }
    }

    /**
     * Response fields not passed on: the hop-by-hop ones, and, as nginx does by default
     * ({@code proxy_hide_header}), the backend's {@code Date} and {@code Server}: the front server
     * writes its own.
     */
    static boolean isDroppedResponseField(String name) {
        return switch (name.length()) {
            case 2 -> name.equalsIgnoreCase("te");
            case 4 -> name.equalsIgnoreCase("date");
            case 6 -> name.equalsIgnoreCase("server");
            case 7 -> name.equalsIgnoreCase("upgrade") || name.equalsIgnoreCase("trailer");
            case 10 -> name.equalsIgnoreCase("connection") || name.equalsIgnoreCase("keep-alive");
            case 14 -> name.equalsIgnoreCase("content-length");
            case 16 -> name.equalsIgnoreCase("proxy-connection");
            case 17 -> name.equalsIgnoreCase("transfer-encoding");
            default -> false;
        };
    }

    private static void relayBody(UpstreamConnection c, ResponseHead head, String method, HttpResponse response)
            throws IOException {
        int status = head.status;
        // RFC 9112 §6.3: no content after HEAD, 1xx, 204 and 304, whatever the fields say.
        if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
            if (head.contentLength >= 0 && status != 204) {
                response.setContentLength(head.contentLength);
            }
            return;
        }
        OutputStream out = response.body();
        if (head.chunked) {
            relayChunked(c, out);
        } else if (head.contentLength >= 0) {
            response.setContentLength(head.contentLength);
            long left = head.contentLength;
            while (left > 0) {
                if (c.pos == c.limit && c.fill() < 0) {
                    throw new EOFException("backend closed with " + left + " bytes of the body missing");
                }
                int n = (int) Math.min(left, c.limit - c.pos);
                out.write(c.buf, c.pos, n);
                c.pos += n;
                left -= n;
            }
        } else {
            // RFC 9112 §6.3 ¶8: delimited by the end of the connection, which is then not reused.
            head.close = true;
            while (true) {
                if (c.pos == c.limit && c.fill() < 0) {
                    break;
                }
                out.write(c.buf, c.pos, c.limit - c.pos);
                c.pos = c.limit;
            }
        }
    }

    // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; trailers after the last one.
    private static void relayChunked(UpstreamConnection c, OutputStream out) throws IOException {
        while (true) {
            long size = chunkSize(c);
            if (size == 0) {
                // Trailer section: skipped up to its empty line.
                while (!readLine(c).isEmpty()) {
                    // a trailer field; not relayed
                }
                return;
            }
            long left = size;
            while (left > 0) {
                if (c.pos == c.limit && c.fill() < 0) {
                    throw new EOFException("backend closed inside a chunk");
                }
                int n = (int) Math.min(left, c.limit - c.pos);
                out.write(c.buf, c.pos, n);
                c.pos += n;
                left -= n;
            }
            if (!readLine(c).isEmpty()) {
                throw new BadResponseException("chunk data not followed by CRLF");
            }
        }
    }

    private static long chunkSize(UpstreamConnection c) throws IOException {
        String line = readLine(c);
        int end = line.indexOf(';');
        String digits = (end < 0 ? line : line.substring(0, end)).strip();
        if (digits.isEmpty() || digits.length() > 15) {
            throw new BadResponseException("malformed chunk size: " + line);
        }
        long size = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = Character.digit(digits.charAt(i), 16);
            if (d < 0) {
                throw new BadResponseException("malformed chunk size: " + line);
            }
            size = size * 16 + d;
        }
        return size;
    }

    /** One CRLF-terminated line from the connection's buffer, without the CRLF. */
    private static String readLine(UpstreamConnection c) throws IOException {
        while (true) {
            for (int i = c.pos; i + 1 < c.limit; i++) {
                if (c.buf[i] == '\r' && c.buf[i + 1] == '\n') {
                    String line = new String(c.buf, c.pos, i - c.pos, StandardCharsets.ISO_8859_1);
                    c.pos = i + 2;
                    return line;
                }
            }
            if (c.limit - c.pos > 8 * 1024) {
                throw new BadResponseException("chunk line longer than 8 KiB");
            }
            if (c.fill() < 0) {
                throw new EOFException("backend closed in a chunked body");
            }
        }
    }

    /** A growable byte buffer for the request head (and a small body), written with one call. */
    static final class RequestBuffer {
        byte[] bytes = new byte[2048];
        int length;

        void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        RequestBuffer write(int b) {
            ensure(1);
            bytes[length++] = (byte) b;
            return this;
        }

        RequestBuffer write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
            return this;
        }

        RequestBuffer ascii(String s) {
            return latin1(s);
        }

        /** Characters as single bytes (field values are ISO-8859-1 on the wire, RFC 9110 §5.5). */
        RequestBuffer latin1(String s) {
            int n = s.length();
            ensure(n);
            byte[] b = bytes;
            int at = length;
            for (int i = 0; i < n; i++) {
                b[at + i] = (byte) s.charAt(i);
            }
            length += n;
            return this;
        }

        RequestBuffer decimal(long value) {
            return latin1(Long.toString(value));
        }

        RequestBuffer crlf() {
            ensure(2);
            bytes[length++] = '\r';
            bytes[length++] = '\n';
            return this;
        }
    }
}
