package dev.lanner.server.diagnostics;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J logger enabled at every level that keeps each line as {@code LEVEL message} (the tests' own
 * binding, slf4j-simple, cannot be captured, and its MDC keeps nothing: lanner-metrics checks the
 * {@code ConnectionId} in the MDC with Logback).
 */
public final class CapturingLogger extends LegacyAbstractLogger {

    private final List<String> lines = new ArrayList<>();

    public CapturingLogger(String name) {
        this.name = name;
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    protected synchronized void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                            Throwable throwable) {
        lines.add(level + " " + MessageFormatter.basicArrayFormat(pattern, arguments));
    }

    @Override protected String getFullyQualifiedCallerName() { return null; }
    @Override public boolean isTraceEnabled() { return true; }
    @Override public boolean isDebugEnabled() { return true; }
    @Override public boolean isInfoEnabled() { return true; }
    @Override public boolean isWarnEnabled() { return true; }
    @Override public boolean isErrorEnabled() { return true; }
}
