package dev.lanner.hosting.integration;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The values of the identity headers {@code lanner-module} forwards with the pairing token (names in
 * {@link ModuleIntegration}): the module encodes, {@link ModuleIntegrationMiddleware} decodes.
 *
 * <ul>
 *   <li>{@value ModuleIntegration#USER_HEADER}: the user name as UTF-8, every byte outside the RFC 3986
 *       §2.3 unreserved characters ({@code ALPHA / DIGIT / "-" / "." / "_" / "~"}) as {@code %XX}, so any
 *       name survives a header line.</li>
 *   <li>{@value ModuleIntegration#CLIENT_CERTIFICATE_HEADER}: the certificate's DER encoding in standard
 *       base64 (RFC 4648 §4), without line breaks.</li>
 * </ul>
 */
public final class EdgeIdentityHeaders {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EdgeIdentityHeaders() {
    }

    /** {@code name} percent-encoded as UTF-8; unreserved characters stay as they are. */
    public static String encodeUser(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("user name must not be empty");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int c = b & 0xff;
            if (isUnreserved(c)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return sb.toString();
    }

    /**
     * The user name {@link #encodeUser} encoded; hex digits of either case.
     *
     * @throws IllegalArgumentException when {@code value} is empty, has a character that is neither
     *                                  unreserved nor part of a {@code %XX} escape, or is not UTF-8
     */
    public static String decodeUser(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty user name");
        }
        byte[] bytes = new byte[value.length()];
        int n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
                if (low < 0) {
                    throw new IllegalArgumentException("bad percent-escape at index " + i + ", expected %XX");
                }
                bytes[n++] = (byte) (high << 4 | low);
                i += 2;
            } else if (c < 0x80 && isUnreserved(c)) {
                bytes[n++] = (byte) c;
            } else {
                throw new IllegalArgumentException("character at index " + i + " must be percent-encoded");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the percent-decoded bytes are not UTF-8");
        }
    }

    /** The certificate's DER encoding in standard base64, one line. */
    public static String encodeCertificate(X509Certificate certificate) {
        try {
            return Base64.getEncoder().encodeToString(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the certificate of " + certificate.getSubjectX500Principal()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The certificate {@link #encodeCertificate} encoded.
     *
     * @throws IllegalArgumentException when {@code value} is not standard base64 or not one DER X.509 certificate
     */
    public static X509Certificate decodeCertificate(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("empty certificate");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not standard base64: " + e.getMessage());
        }
        // DER only: the X.509 factory would also take PEM text, which the module never sends.
        if (der.length == 0 || der[0] != 0x30) {
            throw new IllegalArgumentException("not a DER X.509 certificate");
        }
        try {
            // A factory per call: instances are not specified thread-safe, and only requests with the header get here.
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new IllegalArgumentException("not a DER X.509 certificate: " + e.getMessage());
        }
    }

    /** RFC 3986 §2.3. */
    private static boolean isUnreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
