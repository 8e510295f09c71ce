package dev.lanner.tls;

/**
 * A cursor over DER (X.690): the element at {@code position} within {@code end}. Enough to walk the few
 * structures the PEM reader and the key check look into (PKCS#8, RFC 5915); a malformed input throws
 * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}.
 */
record Der(byte[] bytes, int position, int end) {
    Der(byte[] bytes, int position) {
        this(bytes, position, bytes.length);
    }

    boolean atEnd() {
        return position >= end;
    }

    int tag() {
        return bytes[position] & 0xFF;
    }

    /** The element's content length; the element must have {@code tag}. */
    private int[] header(int expectedTag) {
        if (atEnd() || tag() != expectedTag) {
            throw new IllegalArgumentException("unexpected DER tag");
        }
        int at = position + 1;
        int first = bytes[at++] & 0xFF;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7F;
            if (count == 0 || count > 3) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = (length << 8) | (bytes[at++] & 0xFF);
            }
        }
        if (at + length > end) {
            throw new IllegalArgumentException("DER element past its end");
        }
        return new int[] {at, length};
    }

    /** Into the element's content. */
    Der enter(int expectedTag) {
        int[] h = header(expectedTag);
        return new Der(bytes, h[0], h[0] + h[1]);
    }

    /** Past the element, to its next sibling. */
    Der skip(int expectedTag) {
        int[] h = header(expectedTag);
        return new Der(bytes, h[0] + h[1], end);
    }

    int length() {
        return end - position;
    }
}
