package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.HttpCharacters.isWhitespace;

/**
 * The connection options of a Connection header (RFC 9110 §7.6.1) that the server acts on, as
 * bit flags so that parsing allocates nothing, and the persistence rule of RFC 9112 §9.3.
 * Options are case-insensitive tokens in a comma-separated list; other options are ignored.
 * Stateless; safe from any thread.
 */
public final class ConnectionOptions {

    /** {@code close}: the connection closes after this exchange (RFC 9112 §9.6). */
    public static final int CLOSE = 1;
    /** {@code keep-alive}: an HTTP/1.0 client asks for a persistent connection (RFC 9112 §C.2.2). */
    public static final int KEEP_ALIVE = 2;
    /** {@code upgrade}: the Upgrade header is meant for this hop (RFC 9110 §7.8). */
    public static final int UPGRADE = 4;

    private static final byte[] CLOSE_TOKEN = AsciiStrings.ascii("close");
    private static final byte[] KEEP_ALIVE_TOKEN = AsciiStrings.ascii("keep-alive");
    private static final byte[] UPGRADE_TOKEN = AsciiStrings.ascii("upgrade");

    private ConnectionOptions() {
    }

    /**
     * The flags named in one Connection value; OR the results of several lines together.
     */
    public static int parse(byte[] buf, int start, int end) {
        int flags = 0;
        int i = start;
        while (i < end) {
            int comma = AsciiStrings.indexOf(buf, i, end, (byte) ',');
            int memberEnd = comma < 0 ? end : comma;
            int s = i;
            int e = memberEnd;
            while (s < e && isWhitespace(buf[s])) {
                s++;
            }
            while (e > s && isWhitespace(buf[e - 1])) {
                e--;
            }
            if (AsciiStrings.equalsIgnoreCase(buf, s, e, CLOSE_TOKEN)) {
                flags |= CLOSE;
            } else if (AsciiStrings.equalsIgnoreCase(buf, s, e, KEEP_ALIVE_TOKEN)) {
                flags |= KEEP_ALIVE;
            } else if (AsciiStrings.equalsIgnoreCase(buf, s, e, UPGRADE_TOKEN)) {
                flags |= UPGRADE;
            }
            i = memberEnd + 1;
        }
        return flags;
    }

    /**
     * RFC 9112 §9.3: whether the connection stays open after this request: not if "close" was
     * sent; yes for HTTP/1.1; for HTTP/1.0 only if "keep-alive" was sent.
     */
    public static boolean isPersistent(HttpVersion version, int flags) {
        if ((flags & CLOSE) != 0) {
            return false;
        }
        return version == HttpVersion.HTTP_1_1 || (flags & KEEP_ALIVE) != 0;
    }
}
