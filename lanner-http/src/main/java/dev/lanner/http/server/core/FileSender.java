package dev.lanner.http.server.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code HttpResponseBodyFeature.sendFile} for every server: one range rule and one copy loop. The
 * range is checked before a byte is written (as Kestrel's {@code SendFileFallback} does): an offset
 * past the end of the file, or a count reaching past it, is an {@link IllegalArgumentException} and
 * the response is untouched. Runs on the request's thread.
 */
public final class FileSender {

    /** Where the file's bytes go: the protocol's body writer (framing, buffering, flow control). */
    @FunctionalInterface
    public interface BodyWriter {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    private static final int CHUNK = 16 * 1024;

    private FileSender() {
    }

    /**
     * Writes {@code count} bytes of {@code file} from {@code offset} ({@code count} −1: to the end).
     *
     * @throws IllegalArgumentException when the range does not lie inside the file
     * @throws IOException when the file cannot be read, shrinks while it is sent, or the write fails
     */
    public static void send(Path file, long offset, long count, BodyWriter out) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = checkRange(file, channel.size(), offset, count);
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, length)));
            long position = offset;
            long remaining = length;
            while (remaining > 0) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), remaining));
                int n = channel.read(chunk, position);
                if (n < 0) {
                    throw new IOException("file " + file + " ended after " + (position - offset) + " of " + length + " bytes");
                }
                out.write(chunk.array(), 0, n);
                position += n;
                remaining -= n;
            }
        }
    }

    /**
     * The number of bytes to send for {@code offset} and {@code count} in a file of {@code size} bytes.
     *
     * @throws IllegalArgumentException when the range does not lie inside the file
     */
    public static long checkRange(Path file, long size, long offset, long count) {
        if (offset < 0 || offset > size) {
            throw new IllegalArgumentException("sendFile offset " + offset + " is outside " + file + " (" + size + " bytes)");
        }
        if (count < -1 || (count >= 0 && count > size - offset)) {
            throw new IllegalArgumentException("sendFile count " + count + " from offset " + offset
                    + " reaches past the end of " + file + " (" + size + " bytes)");
        }
        return count < 0 ? size - offset : count;
    }
}
