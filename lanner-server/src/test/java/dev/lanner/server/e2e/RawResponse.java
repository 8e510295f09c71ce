package dev.lanner.server.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One response as read off the wire: the head text (without the final blank line), the status
 * line, the field lines in order, the decoded body, the trailers of a chunked body and every byte
 * of the response as received ({@link #raw()}).
 */
public record RawResponse(String head, String statusLine, int status, List<String[]> headers, byte[] body,
                          List<String[]> trailers, String raw) {

    RawResponse withRaw(String raw) {
        return new RawResponse(head, statusLine, status, headers, body, trailers, raw);
    }

    /** The first value of {@code name} (case-insensitive), or null. */
    public String header(String name) {
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    /** Every value of {@code name}, in order. */
    public List<String> headerValues(String name) {
        List<String> values = new ArrayList<>();
        for (String[] h : headers) {
            if (h[0].equalsIgnoreCase(name)) {
                values.add(h[1]);
            }
        }
        return values;
    }

    /** The field names in order, as sent. */
    public List<String> headerNames() {
        List<String> names = new ArrayList<>();
        for (String[] h : headers) {
            names.add(h[0]);
        }
        return names;
    }

    public String trailer(String name) {
        for (String[] h : trailers) {
            if (h[0].equalsIgnoreCase(name)) {
                return h[1];
            }
        }
        return null;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The Date value of this response, to build an exact expected text. */
    public String date() {
        return header("Date");
    }
}
