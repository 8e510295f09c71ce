package dev.lanner.http;

import java.util.Locale;

/**
 * A request's W3C Trace Context (the {@code traceparent} and {@code tracestate} fields,
 * https://www.w3.org/TR/trace-context/): the distributed trace the request belongs to and the caller's
 * span in it. Hosting reads it from each request that carries a valid {@code traceparent}; the trace id
 * then becomes the request's trace identifier, so log lines of one trace share it across services.
 * An application that uses the OpenTelemetry API extracts the same fields with its W3C propagator.
 *
 * @param version    the {@code traceparent} version, two lower-case hex digits ({@code 00})
 * @param traceId    32 lower-case hex digits, not all zero
 * @param parentId   16 lower-case hex digits, not all zero: the caller's span
 * @param flags      the trace flags ({@code 01}: sampled)
 * @param traceState the {@code tracestate} field as received (vendor entries), or {@code null}
 */
public record TraceContext(String version, String traceId, String parentId, int flags, String traceState) {

    /** The field carrying the trace, its parent span and flags. */
    public static final String TRACEPARENT = "traceparent";
    /** The field carrying vendor-specific trace state. */
    public static final String TRACESTATE = "tracestate";

    /** Whether the caller sampled (recorded) this trace. */
    public boolean sampled() {
        return (flags & 1) != 0;
    }

    /** The {@code traceparent} value for a call this request makes with span {@code spanId} (16 hex digits). */
    public String traceparentFor(String spanId) {
        return "00-" + traceId + "-" + spanId + "-" + String.format(Locale.ROOT, "%02x", flags & 0xff);
    }

    /**
     * Parses a {@code traceparent} value as the W3C rules say: version {@code 00} is exactly
     * {@code 00-<32 hex>-<16 hex>-<2 hex>}; a later version may append {@code -...} after those; version
     * {@code ff}, upper-case hex, an all-zero trace or parent id, or anything else malformed gives
     * {@code null} (the receiver then starts a new trace). Never throws.
     *
     * @param tracestate the {@code tracestate} value, kept as is (or {@code null}); ignored when the parent is invalid
     */
    public static TraceContext parse(String traceparent, String tracestate) {
        if (traceparent == null) {
            return null;
        }
        String value = traceparent.strip();
        if (value.length() < 55 || !hex(value, 0, 2) || value.charAt(2) != '-' || !hex(value, 3, 35) || value.charAt(35) != '-'
                || !hex(value, 36, 52) || value.charAt(52) != '-' || !hex(value, 53, 55)) {
            return null;
        }
        String version = value.substring(0, 2);
        if (version.equals("ff") || (version.equals("00") && value.length() != 55)
                || (value.length() > 55 && value.charAt(55) != '-')) {
            return null;
        }
        String traceId = value.substring(3, 35);
        String parentId = value.substring(36, 52);
        if (allZero(traceId) || allZero(parentId)) {
            return null;
        }
        int flags = Integer.parseInt(value, 53, 55, 16);
        String state = tracestate == null || tracestate.isBlank() ? null : tracestate.strip();
        return new TraceContext(version, traceId, parentId, flags, state);
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allZero(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
