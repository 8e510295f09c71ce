package dev.lanner.module.internal.forwarding;

import java.util.ArrayList;
import java.util.List;

/**
 * A backend's response head as {@link ResponseHeadParser} read it: status, reason, fields in order,
 * and the framing facts the forwarder needs (RFC 9112 §6). Reused across responses on a connection.
 */
final class ResponseHead {

    int status;
    String reason;
    final List<String> names = new ArrayList<>(16);
    final List<String> values = new ArrayList<>(16);
    /** {@code Content-Length}, or -1 when absent. */
    long contentLength = -1;
    boolean chunked;
    /** The backend said {@code Connection: close} (or spoke HTTP/1.0 without keep-alive). */
    boolean close;
    /** Names listed in the backend's {@code Connection} header, lower-case: hop-by-hop for this response. */
    final List<String> connectionOptions = new ArrayList<>(2);

    void reset() {
        status = 0;
        reason = null;
        names.clear();
        values.clear();
        contentLength = -1;
        chunked = false;
        close = false;
        connectionOptions.clear();
    }

    int size() {
        return names.size();
    }
}
