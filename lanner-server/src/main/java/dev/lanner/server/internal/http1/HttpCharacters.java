package dev.lanner.server.internal.http1;

/**
 * Character classes of the HTTP grammar as lookup tables indexed by an unsigned byte, so the
 * hot loops of the parsers do one array load per byte.
 */
public final class HttpCharacters {

    private static final byte TOKEN = 1;          // RFC 9110 §5.6.2 tchar
    private static final byte FIELD_VALUE = 2;    // RFC 9110 §5.5 field-vchar / SP / HTAB
    private static final byte PATH = 4;           // origin-form path byte (see below)
    private static final byte QUERY = 8;          // query byte (see below)
    private static final byte REG_NAME = 16;      // RFC 3986 §3.2.2 unreserved / sub-delims ("%" apart)
    private static final byte HEX = 32;           // HEXDIG, either case
    private static final byte QDTEXT = 64;        // RFC 9110 §5.6.4 qdtext

    private static final byte[] CLASSES = new byte[256];
    private static final byte[] HEX_VALUES = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            int k = 0;
            boolean alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean digit = c >= '0' && c <= '9';
            if (alpha || digit || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
                k |= TOKEN;
            }
            // field-vchar = VCHAR / obs-text; SP and HTAB may appear inside a value.
            if ((c >= 0x21 && c <= 0x7E) || c >= 0x80 || c == ' ' || c == '\t') {
                k |= FIELD_VALUE;
            }
            // Request-target bytes: RFC 3986 allows only unreserved / pct-encoded / sub-delims /
            // ":" / "@" / "/" ("?" in the query). Like Kestrel we also tolerate the other
            // printable ASCII bytes that real clients send raw (" < > \ ^ ` { | } [ ]), since they
            // cannot end the target or the line. We never accept SP, CTL, DEL or non-ASCII, and
            // never "#": a fragment is not part of a request-target (RFC 9112 §3.2), and letting
            // one through would let two hops disagree about where the path ends.
            if (c >= 0x21 && c <= 0x7E && c != '#') {
                k |= QUERY;
                if (c != '?') {
                    k |= PATH;
                }
            }
            if (alpha || digit || "-._~!$&'()*+,;=".indexOf(c) >= 0) {
                k |= REG_NAME;
            }
            if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                k |= HEX;
                HEX_VALUES[c] = (byte) (digit ? c - '0' : (c | 0x20) - 'a' + 10);
            } else {
                HEX_VALUES[c] = -1;
            }
            if (c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B)
                    || (c >= 0x5D && c <= 0x7E) || c >= 0x80) {
                k |= QDTEXT;
            }
            CLASSES[c] = (byte) k;
        }
    }

    private HttpCharacters() {
    }

    /** RFC 9110 §5.6.2: tchar, the bytes of a token (method, field name, coding name). */
    public static boolean isTokenChar(byte b) {
        return (CLASSES[b & 0xFF] & TOKEN) != 0;
    }

    /** RFC 9110 §5.5: a byte allowed in a field value: VCHAR, obs-text, SP or HTAB. */
    public static boolean isFieldValueChar(byte b) {
        return (CLASSES[b & 0xFF] & FIELD_VALUE) != 0;
    }

    /** A byte accepted in the path of a request-target ("?" and "#" are not). */
    public static boolean isPathChar(byte b) {
        return (CLASSES[b & 0xFF] & PATH) != 0;
    }

    /** A byte accepted in the query of a request-target ("#" is not). */
    public static boolean isQueryChar(byte b) {
        return (CLASSES[b & 0xFF] & QUERY) != 0;
    }

    /** RFC 3986 §3.2.2: a reg-name byte other than "%" (unreserved / sub-delims). */
    public static boolean isRegNameChar(byte b) {
        return (CLASSES[b & 0xFF] & REG_NAME) != 0;
    }

    /** RFC 9110 §5.6.4: qdtext, a byte allowed unescaped inside a quoted-string. */
    public static boolean isQuotedTextChar(byte b) {
        return (CLASSES[b & 0xFF] & QDTEXT) != 0;
    }

    /** RFC 5234: HEXDIG, accepting lower case too as RFC 9112 §7.1 chunk sizes do. */
    public static boolean isHexDigit(byte b) {
        return (CLASSES[b & 0xFF] & HEX) != 0;
    }

    /** The value 0-15 of a hex digit, or -1 when {@code b} is not one. */
    public static int hexValue(byte b) {
        return HEX_VALUES[b & 0xFF];
    }

    /** SP or HTAB: RFC 9110 §5.6.3 OWS/BWS whitespace. */
    public static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** DIGIT. */
    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
