package dev.lanner.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.LayoutBase;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One JSON object per line ({@code Logging:Console:Format=json}):
 * {@code {"timestamp":"2026-12-06T14:05:53.123Z","level":"INFO","logger":"...","thread":"main","message":"..."}},
 * with {@code "connectionId"} and {@code "requestId"} after {@code "thread"} when the line is about a connection
 * or request (the MDC's {@code ConnectionId}, {@code RequestId}), plus {@code "exception"} (the stack trace as
 * text) when the event carries one. Written here rather than
 * with Logback's {@code JsonEncoder}, whose objects carry Logback's internals (sequence numbers, context,
 * nanoseconds) under Logback's own field names.
 */
final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"timestamp\":\"").append(TIMESTAMP.format(event.getInstant())).append('"');
        field(line, "level", event.getLevel().toString());
        field(line, "logger", event.getLoggerName());
        field(line, "thread", event.getThreadName());
        // The ids of the connection and request the line is about (MDC keys set by the server and hosting).
        Map<String, String> mdc = event.getMDCPropertyMap();
        String connectionId = mdc.get("ConnectionId");
        if (connectionId != null) {
            field(line, "connectionId", connectionId);
        }
        String requestId = mdc.get("RequestId");
        if (requestId != null) {
            field(line, "requestId", requestId);
        }
        field(line, "message", event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            field(line, "exception", ThrowableProxyUtil.asString(thrown));
        }
        return line.append("}\n").toString();
    }

    private static void field(StringBuilder line, String name, String value) {
        line.append(",\"").append(name).append("\":");
        if (value == null) {
            line.append("null");
            return;
        }
        line.append('"');
        escape(line, value);
        line.append('"');
    }

    /** RFC 8259 §7: quotation mark, reverse solidus and the control characters must be escaped. */
    static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
