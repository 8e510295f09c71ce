package dev.lanner.server.internal.http2.hpack;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A growable octet array that {@link HpackEncoder} writes a header block into. Not thread-safe: a
 * connection's buffer is used under its writer's lock ({@code Http2ConnectionWriter}).
 *
 * <p>Meant to be reused: {@link #clear()} keeps the array, so a connection that encodes many
 * blocks stops allocating once the array fits its largest block. The encoded octets are
 * {@code array()[0 .. length())}; the frame writer copies them into HEADERS and CONTINUATION
 * frames, which is why the buffer does not split anything itself.
 */
public final class HeaderBlockBuffer {
    private byte[] array;
    private int length;

    /** A buffer with room for 256 octets, enough for most response header blocks. */
    public HeaderBlockBuffer() {
        this(256);
    }

    /** A buffer with room for {@code initialCapacity} octets before it grows. */
    public HeaderBlockBuffer(int initialCapacity) {
        array = new byte[Math.max(16, initialCapacity)];
    }

    /** Number of octets written since the last {@link #clear()}. */
    public int length() {
        return length;
    }

    /** The backing array; octets {@code 0 .. length()} are the block. Valid until the next write. */
    public byte[] array() {
        return array;
    }

    /** A copy of the written octets. */
    public byte[] toByteArray() {
        return Arrays.copyOf(array, length);
    }

    /** A read-only view of the written octets, valid until the next write. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(array, 0, length).asReadOnlyBuffer();
    }

    /** Forgets the written octets, keeping the array. */
    public void clear() {
        length = 0;
    }

    /** Appends one octet (the low 8 bits of {@code b}). */
    public void writeByte(int b) {
        if (length == array.length) {
            grow(1);
        }
        array[length++] = (byte) b;
    }

    /** Appends {@code count} octets from {@code src[offset]}. */
    public void write(byte[] src, int offset, int count) {
        ensureWritable(count);
        System.arraycopy(src, offset, array, length, count);
        length += count;
    }

    /** Makes room for {@code count} more octets, for writers that fill {@link #array()} directly. */
    void ensureWritable(int count) {
        if (array.length - length < count) {
            grow(count);
        }
    }

    /** Marks {@code count} octets written directly into {@link #array()} as part of the block. */
    void advance(int count) {
        length += count;
    }

    private void grow(int count) {
        long needed = (long) length + count;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("header block too large: " + needed + " octets");
        }
        array = Arrays.copyOf(array, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, array.length * 2L)));
    }
}
