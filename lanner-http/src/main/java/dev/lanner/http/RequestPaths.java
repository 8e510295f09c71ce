package dev.lanner.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Request-target helpers shared by every server, so that each one decodes paths the same way. */
public final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * Decodes percent-escapes in a path as UTF-8 (RFC 3986 §2.1), except {@code %2F}, which stays
     * encoded so that a decoded path never gains a segment separator the client did not send.
     * A malformed escape is kept as it is.
     */
    public static String decodePath(String rawPath) {
        int firstPercent = rawPath.indexOf('%');
        if (firstPercent < 0) {
            return rawPath;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(rawPath.length());
        byte[] raw = rawPath.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '%' && i + 2 < raw.length) {
                int hi = Character.digit(raw[i + 1], 16);
                int lo = Character.digit(raw[i + 2], 16);
                if (hi >= 0 && lo >= 0) {
                    int value = (hi << 4) | lo;
                    if (value == '/') {
                        out.write(raw, i, 3);
                    } else {
                        out.write(value);
                    }
                    i += 2;
                    continue;
                }
            }
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The path part of an origin-form or absolute-form target (without the query), {@code /} when empty. */
    public static String pathOf(String target) {
        String t = stripAuthority(target);
        int q = t.indexOf('?');
        String path = q < 0 ? t : t.substring(0, q);
        return path.isEmpty() ? "/" : path;
    }

    /** The query of a target including {@code ?}, or {@code ""}. */
    public static String queryOf(String target) {
        int q = target.indexOf('?');
        return q < 0 ? "" : target.substring(q);
    }

    private static String stripAuthority(String target) {
        int scheme = target.indexOf("://");
        if (scheme < 0 || target.startsWith("/")) {
            return target;
        }
        int slash = target.indexOf('/', scheme + 3);
        int q = target.indexOf('?', scheme + 3);
        if (slash < 0 || (q >= 0 && q < slash)) {
            return q < 0 ? "" : target.substring(q);
        }
        return target.substring(slash);
    }
}
