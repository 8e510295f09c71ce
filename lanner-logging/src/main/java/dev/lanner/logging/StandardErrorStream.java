package dev.lanner.logging;

import java.io.OutputStream;

/**
 * Writes to whatever {@link System#err} is at the time of each write (as slf4j-simple did, so a host that
 * redirects standard error sees the log), and never closes it when Logback stops an appender.
 */
final class StandardErrorStream extends OutputStream {

    static final StandardErrorStream INSTANCE = new StandardErrorStream();

    private StandardErrorStream() {
    }

    @Override
    public void write(int b) {
        System.err.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        System.err.write(b, off, len); // one call per event: PrintStream keeps the line whole
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
