package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.HttpCharacters.isDigit;
import static dev.lanner.server.internal.http1.HttpCharacters.isHexDigit;
import static dev.lanner.server.internal.http1.HttpCharacters.isRegNameChar;

/**
 * Syntax check of an authority {@code uri-host [":" port]} (RFC 3986 §3.2.2, §3.2.3) as used by
 * the Host header (RFC 9112 §3.2), absolute-form and authority-form targets. Stateless; safe from
 * any thread.
 *
 * <p>Stricter than RFC 3986 where HTTP is: the host must not be empty (RFC 9110 §4.2.1), and
 * userinfo ({@code user@host}) is rejected (RFC 9110 §4.2.4: a recipient SHOULD treat it as an
 * error; it has been used to confuse URL parsers). An IP-literal is checked for its alphabet
 * (HEXDIG, ":" and ".") rather than the full IPv6 grammar; IPvFuture and zone IDs are rejected.
 * A port has at most 5 digits and is at most 65535.
 */
public final class UriAuthority {

    private UriAuthority() {
    }

    /**
     * Whether {@code [start, end)} is {@code host [":" port]}.
     *
     * @param portRequired true for authority-form (RFC 9112 §3.2.3 requires the port)
     */
    public static boolean isValid(byte[] buf, int start, int end, boolean portRequired) {
        if (start >= end) {
            return false;
        }
        int i = start;
        if (buf[i] == '[') {
            int close = AsciiStrings.indexOf(buf, i, end, (byte) ']');
            if (close < 0 || close - i - 1 < 2) {
                return false;
            }
            boolean colon = false;
            for (int j = i + 1; j < close; j++) {
                byte b = buf[j];
                if (b == ':') {
                    colon = true;
                } else if (!isHexDigit(b) && b != '.') {
                    return false;
                }
            }
            if (!colon) {
                return false;
            }
            i = close + 1;
        } else {
            while (i < end && buf[i] != ':') {
                byte b = buf[i];
                if (b == '%') {
                    if (i + 2 >= end || !isHexDigit(buf[i + 1]) || !isHexDigit(buf[i + 2])) {
                        return false;
                    }
                    i += 3;
                    continue;
                }
                if (!isRegNameChar(b)) {
                    return false;
                }
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i == end) {
            return !portRequired;
        }
        if (buf[i] != ':') {
            return false;
        }
        i++;
        int digits = end - i;
        if (digits == 0) {
            // RFC 3986 §3.2.3 allows an empty port ("host:"), meaning the default.
            return !portRequired;
        }
        if (digits > 5) {
            return false;
        }
        int port = 0;
        for (; i < end; i++) {
            if (!isDigit(buf[i])) {
                return false;
            }
            port = port * 10 + (buf[i] - '0');
        }
        return port <= 65535;
    }
}
