package dev.lanner.server.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLException;

/**
 * The first bytes on a TLS port were a plaintext HTTP request, not a TLS record. Thrown by
 * {@link TlsRecordLayer#handshake} on the connection's virtual thread, which runs the handshake.
 */
final class PlaintextHttpException extends SSLException {

    PlaintextHttpException() {
        // Kestrel's wording for the same mistake.
        super("HTTP/1.x request sent to HTTPS port");
    }

    /**
     * Whether {@code received} (flipped) starts like an HTTP request line: a method token begins with
     * an upper-case letter, while a TLS record begins with its content type, 20 to 24 (RFC 8446 §5.1).
     */
    static boolean startsLikeHttp(ByteBuffer received) {
        if (!received.hasRemaining()) {
            return false;
        }
        byte first = received.get(received.position());
        return first >= 'A' && first <= 'Z';
    }
}
