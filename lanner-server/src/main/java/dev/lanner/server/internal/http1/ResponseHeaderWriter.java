package dev.lanner.server.internal.http1;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Builds an HTTP/1.1 response head (or a trailer section) in a growable byte array:
 * pre-encoded status line, {@code Name: value\r\n} lines and the final CRLF. Reused per
 * connection: {@link #reset()} keeps the array. Not thread-safe: used by the thread serving the
 * connection's current request (the event loop inline, else the connection's virtual thread).
 *
 * <p>Guards against response splitting: a name must be a token and a value must not contain
 * CR, LF, NUL or another control character other than HTAB (RFC 9110 §5.5); both throw
 * {@link IllegalArgumentException} before anything is written. Values are written as ISO-8859-1;
 * a char above U+00FF is rejected rather than silently replaced.
 */
public final class ResponseHeaderWriter {

    private static final byte[] COLON_SP = {':', ' '};
    private static final byte[] CRLF = {'\r', '\n'};

    private byte[] buf;
    private int length;

    /** A writer with room for a typical head (512 bytes) before it grows. */
    public ResponseHeaderWriter() {
        this(512);
    }

    /** A writer with the given initial capacity. */
    public ResponseHeaderWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Appends the pre-encoded status line (see {@link StatusLines}). */
    public ResponseHeaderWriter statusLine(int status) {
        return append(StatusLines.of(status));
    }

    /** Appends {@code Canonical-Name: value\r\n} using the pre-encoded name. */
    public ResponseHeaderWriter header(KnownHeader name, String value) {
        checkValue(value);
        append(name.fieldPrefix());
        appendValue(value);
        return append(CRLF);
    }

    /** Appends {@code Canonical-Name: digits\r\n} without allocating (e.g. Content-Length). */
    public ResponseHeaderWriter header(KnownHeader name, long value) {
        append(name.fieldPrefix());
        appendDecimal(value);
        return append(CRLF);
    }

    /** Appends {@code name: value\r\n}. */
    public ResponseHeaderWriter header(String name, String value) {
        checkName(name);
        checkValue(value);
        ensure(name.length() + value.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            buf[length++] = (byte) name.charAt(i);
        }
        append(COLON_SP);
        appendValue(value);
        return append(CRLF);
    }

    /**
     * Appends {@code name: value\r\n} for a field already validated (e.g. by
     * {@link dev.lanner.http.HttpHeaders}, which checks token names and field-value characters).
     */
    public ResponseHeaderWriter validatedHeader(String name, String value) {
        int nl = name.length();
        int vl = value.length();
        ensure(nl + vl + 4);
        byte[] b = buf;
        int pos = length;
        for (int i = 0; i < nl; i++) {
            b[pos++] = (byte) name.charAt(i);
        }
        b[pos++] = ':';
        b[pos++] = ' ';
        for (int i = 0; i < vl; i++) {
            b[pos++] = (byte) value.charAt(i);
        }
        b[pos++] = '\r';
        b[pos++] = '\n';
        length = pos;
        return this;
    }

    /**
     * Appends bytes that are already a valid part of a head, such as
     * {@link DateHeaderValue#headerLine()}. Not validated: pass only trusted constants.
     */
    public ResponseHeaderWriter append(byte[] preEncoded) {
        ensure(preEncoded.length);
        System.arraycopy(preEncoded, 0, buf, length, preEncoded.length);
        length += preEncoded.length;
        return this;
    }

    /** Appends {@code len} bytes of {@code data} (body bytes after the head). Not validated. */
    public ResponseHeaderWriter append(byte[] data, int off, int len) {
        ensure(len);
        System.arraycopy(data, off, buf, length, len);
        length += len;
        return this;
    }

    /** Appends a chunk-size line ({@code hex CRLF}, RFC 9112 §7.1). */
    public ResponseHeaderWriter chunkHeader(long size) {
        ensure(ChunkedBodyEncoder.MAX_CHUNK_HEADER_LENGTH);
        length = ChunkedBodyEncoder.writeChunkHeader(size, buf, length);
        return this;
    }

    /** Appends a bare CRLF (end of a chunk's data). */
    public ResponseHeaderWriter crlf() {
        return append(CRLF);
    }

    /** Drops the first {@code n} bytes (they were written); the rest moves to the front. */
    public void discardFront(int n) {
        System.arraycopy(buf, n, buf, 0, length - n);
        length -= n;
    }

    /** Room left before the array must grow. */
    public int capacityLeft() {
        return buf.length - length;
    }

    /** Appends the CRLF that ends the header (or trailer) section. */
    public ResponseHeaderWriter endOfHeaders() {
        return append(CRLF);
    }

    /** The backing array; bytes {@code [0, length())} are the head. */
    public byte[] array() {
        return buf;
    }

    /** Bytes written so far. */
    public int length() {
        return length;
    }

    /** A copy of the bytes written. */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, length);
    }

    /**
     * Copies the bytes written into {@code dst}.
     *
     * @throws java.nio.BufferOverflowException if {@code dst} has less room than {@link #length()}
     */
    public void writeTo(ByteBuffer dst) {
        dst.put(buf, 0, length);
    }

    /**
     * Writes into {@code array} from now on, its first {@code length} bytes being what was written
     * (a buffer the event loop lends for one call, or the connection's own again); the array it
     * replaces is left as it is. Writing past the end grows into a new array, as always.
     */
    public void useArray(byte[] array, int length) {
        this.buf = array;
        this.length = length;
    }

    /** Empties the writer, keeping its array. */
    public void reset() {
        length = 0;
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !HttpCharacters.isTokenChar((byte) c)) {
                throw new IllegalArgumentException("header name is not a token: "
                        + printable(name));
            }
        }
    }

    private static void checkValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException("header value has a char beyond ISO-8859-1 at "
                        + i);
            }
            if (!HttpCharacters.isFieldValueChar((byte) c)) {
                // CR or LF here would end the line and let the value inject headers or a body.
                throw new IllegalArgumentException(String.format(
                        "header value has control char 0x%02X at %d", (int) c, i));
            }
        }
    }

    private void appendValue(String value) {
        ensure(value.length());
        for (int i = 0; i < value.length(); i++) {
            buf[length++] = (byte) value.charAt(i);
        }
    }

    private void appendDecimal(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        ensure(19);
        if (value == 0) {
            buf[length++] = '0';
            return;
        }
        int digits = 0;
        for (long v = value; v != 0; v /= 10) {
            digits++;
        }
        int pos = length + digits;
        for (long v = value; v != 0; v /= 10) {
            buf[--pos] = (byte) ('0' + (v % 10));
        }
        length += digits;
    }

    private void ensure(int extra) {
        int needed = length + extra;
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(s.length(), 64); i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04X", (int) c));
        }
        return sb.toString();
    }
}
