package dev.lanner.server.internal.http2.hpack;

/**
 * The dynamic table of RFC 7541 §2.3.2 and §4: a FIFO of header fields, newest first, whose size
 * (RFC 7541 §4.1: name octets + value octets + 32 per entry) never exceeds its capacity. Not
 * thread-safe: each belongs to one encoder (used under the connection writer's lock) or one decoder
 * (used on the connection's reader thread).
 *
 * <p>Kept as a ring buffer over a power-of-two array so that insertion, eviction of the oldest
 * entry and lookup by index are O(1) and allocate nothing once the array has grown to the
 * working set. The array starts small: a 4096-octet table holds at most 128 entries, but most
 * connections use far fewer.
 */
final class HpackDynamicTable {
    private HpackHeaderField[] entries = new HpackHeaderField[16];
    /** Slot of the newest entry. */
    private int newest = -1;
    private int length;
    private int size;
    private int capacity;
    private long insertions;

    HpackDynamicTable(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity < 0: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Number of entries. */
    int length() {
        return length;
    }

    /** Sum of the entry sizes (RFC 7541 §4.1). */
    int size() {
        return size;
    }

    /** Maximum size (RFC 7541 §4.2), as last set by a dynamic table size update. */
    int capacity() {
        return capacity;
    }

    /**
     * The entry at dynamic index {@code index}: 1 is the newest (RFC 7541 §2.3.3).
     *
     * @throws IndexOutOfBoundsException unless {@code 1 <= index <= length()}
     */
    HpackHeaderField get(int index) {
        if (index < 1 || index > length) {
            throw new IndexOutOfBoundsException(index);
        }
        return entries[(newest - index + 1) & (entries.length - 1)];
    }

    /**
     * The dynamic index (1 = newest) of an entry still in the table, from its insertion number:
     * lets the encoder turn a hash-table hit into an index without searching the ring.
     */
    int indexOf(HpackHeaderField entry) {
        return (int) (insertions - entry.sequence) + 1;
    }

    /**
     * Adds {@code entry} as the newest entry, evicting the oldest ones until it fits (RFC 7541
     * §4.4). An entry larger than the capacity is not an error: it empties the table and is not
     * added.
     */
    void add(HpackHeaderField entry) {
        int entrySize = entry.size();
        if (entrySize > capacity) {
            clear();
            return;
        }
        while (size + entrySize > capacity) {
            evictOldest();
        }
        if (length == entries.length) {
            grow();
        }
        newest = (newest + 1) & (entries.length - 1);
        entries[newest] = entry;
        entry.sequence = ++insertions;
        length++;
        size += entrySize;
    }

    /** Sets the maximum size, evicting the oldest entries until the table fits (RFC 7541 §4.3). */
    void setCapacity(int newCapacity) {
        if (newCapacity < 0) {
            throw new IllegalArgumentException("capacity < 0: " + newCapacity);
        }
        capacity = newCapacity;
        while (size > newCapacity) {
            evictOldest();
        }
    }

    /** Removes and returns the oldest entry, or returns {@code null} when the table is empty. */
    HpackHeaderField evictOldest() {
        if (length == 0) {
            return null;
        }
        int slot = (newest - length + 1) & (entries.length - 1);
        HpackHeaderField oldest = entries[slot];
        entries[slot] = null; // let the octets be collected
        length--;
        size -= oldest.size();
        return oldest;
    }

    /** Removes every entry; the capacity is unchanged. */
    void clear() {
        while (length > 0) {
            evictOldest();
        }
    }

    private void grow() {
        HpackHeaderField[] bigger = new HpackHeaderField[entries.length * 2];
        // Oldest first, so the newest ends at slot length - 1.
        for (int i = length; i >= 1; i--) {
            bigger[length - i] = get(i);
        }
        entries = bigger;
        newest = length - 1;
    }
}
