package dev.lanner.server.internal.http1;

import java.nio.charset.StandardCharsets;

/**
 * Byte range to String conversions and case-insensitive comparisons for protocol text. Stateless;
 * safe from any thread.
 *
 * <p>HTTP/1.1 field values are octets (RFC 9110 §5.5); the server exposes them as ISO-8859-1
 * strings so that every byte maps to one char and back without loss.
 */
public final class AsciiStrings {

    private AsciiStrings() {
    }

    /** The bytes {@code [start, end)} as an ISO-8859-1 string. */
    public static String latin1(byte[] buf, int start, int end) {
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** The bytes {@code [start, end)} as an ISO-8859-1 string with ASCII letters lower-cased. */
    public static String lowerCaseLatin1(byte[] buf, int start, int end) {
        byte[] copy = new byte[end - start];
        for (int i = start; i < end; i++) {
            copy[i - start] = toLowerCase(buf[i]);
        }
        return new String(copy, StandardCharsets.ISO_8859_1);
    }

    /** ASCII lower case of one byte; other bytes are returned unchanged. */
    public static byte toLowerCase(byte b) {
        return (b >= 'A' && b <= 'Z') ? (byte) (b | 0x20) : b;
    }

    /**
     * Whether {@code [start, end)} equals {@code lowerCase} ignoring ASCII case.
     *
     * @param lowerCase the expected bytes, already in lower case
     */
    public static boolean equalsIgnoreCase(byte[] buf, int start, int end, byte[] lowerCase) {
        if (end - start != lowerCase.length) {
            return false;
        }
        for (int i = 0; i < lowerCase.length; i++) {
            if (toLowerCase(buf[start + i]) != lowerCase[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code [start, end)} equals the ASCII string {@code text} ignoring ASCII case.
     */
    public static boolean equalsIgnoreCase(byte[] buf, int start, int end, String text) {
        if (end - start != text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7F || toLowerCase(buf[start + i]) != toLowerCase((byte) c)) {
                return false;
            }
        }
        return true;
    }

    /** The ASCII bytes of a constant; fails fast on a non-ASCII char in a constant. */
    public static byte[] ascii(String text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            if (c > 0x7F) {
                throw new IllegalArgumentException("not ASCII: " + text);
            }
            bytes[i] = (byte) c;
        }
        return bytes;
    }

    /** Index of the first {@code b} in {@code [start, end)}, or -1. */
    public static int indexOf(byte[] buf, int start, int end, byte b) {
        for (int i = start; i < end; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A printable, bounded rendering of client bytes for exception details and logs: never
     * echo unbounded or control bytes from the wire.
     */
    static String excerpt(byte[] buf, int start, int end) {
        int n = Math.min(end - start, 64);
        StringBuilder sb = new StringBuilder(n + 8);
        for (int i = start; i < start + n; i++) {
            int c = buf[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02X", c));
            }
        }
        if (end - start > n) {
            sb.append("...");
        }
        return sb.toString();
    }
}
