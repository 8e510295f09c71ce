package dev.lanner.module.internal.outofprocess;

import java.nio.charset.StandardCharsets;

/** The last bytes a process wrote to stdout and stderr, for the start-failure page and the log. */
final class OutputTail {

    private final byte[] ring;
    private long written;

    OutputTail(int capacity) {
        this.ring = new byte[capacity];
    }

    synchronized void append(byte[] bytes, int offset, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % ring.length)] = bytes[offset + i];
        }
    }

    /** What is kept, oldest first, starting at a line boundary when the start was cut off. */
    synchronized String text() {
        int size = (int) Math.min(written, ring.length);
        byte[] out = new byte[size];
        long start = written - size;
        for (int i = 0; i < size; i++) {
            out[i] = ring[(int) ((start + i) % ring.length)];
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (written > ring.length) {
            int newline = text.indexOf('\n');
            text = newline >= 0 ? text.substring(newline + 1) : text;
        }
        return text;
    }
}
