package dev.lanner.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An ordered, multi-valued header collection with case-insensitive names (RFC 9110 §5.1).
 * Each field line is kept as received, so repeated headers keep their order. Backed by two
 * parallel arrays and reusable with {@link #clear()}, so a connection can keep one per request slot.
 */
public final class HttpHeaders {

    private String[] names;
    private String[] values;
    private int size;
    private boolean readOnly;

    public HttpHeaders() {
        this(16);
    }

    public HttpHeaders(int capacity) {
        names = new String[Math.max(capacity, 4)];
        values = new String[names.length];
    }

    /** Builds headers from name/value pairs: {@code of("Content-Type", "text/plain", "X-A", "1")}. */
    public static HttpHeaders of(String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("name/value pairs expected");
        }
        HttpHeaders headers = new HttpHeaders(nameValuePairs.length / 2);
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.add(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return headers;
    }

    /** The number of field lines. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The name of the field line at {@code index}, as it was added. */
    public String nameAt(int index) {
        checkIndex(index);
        return names[index];
    }

    public String valueAt(int index) {
        checkIndex(index);
        return values[index];
    }

    /** The first value of {@code name}, or {@code null}. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i];
    }

    /** All values of {@code name}, in order (empty when absent). */
    public List<String> getAll(String name) {
        List<String> result = null;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (result == null) {
                result = new ArrayList<>(2);
            }
            result.add(values[i]);
        }
        return result == null ? List.of() : Collections.unmodifiableList(result);
    }

    /** All values of {@code name} joined with {@code ", "} (RFC 9110 §5.3), or {@code null}. */
    public String getCombined(String name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return null;
        }
        int next = indexOf(name, first + 1);
        if (next < 0) {
            return values[first];
        }
        StringBuilder sb = new StringBuilder(values[first]);
        for (int i = next; i >= 0; i = indexOf(name, i + 1)) {
            sb.append(", ").append(values[i]);
        }
        return sb.toString();
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Appends a field line. */
    public HttpHeaders add(String name, String value) {
        validate(name, value);
        return addValidated(name, value);
    }

    /**
     * Appends a field line whose name and value the caller has already validated to RFC 9110 §5
     * (a server's parser does); skips the per-character check on the hot path.
     */
    public HttpHeaders addValidated(String name, String value) {
        checkWritable();
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    /** Replaces every value of {@code name} with {@code value} ({@code null} removes the header). */
    public HttpHeaders set(String name, String value) {
        checkWritable();
        if (value == null) {
            remove(name);
            return this;
        }
        validate(name, value);
        int i = indexOf(name, 0);
        if (i < 0) {
            return addValidated(name, value);
        }
        names[i] = name;
        values[i] = value;
        for (int j = indexOf(name, i + 1); j >= 0; j = indexOf(name, j)) {
            removeAt(j);
        }
        return this;
    }

    /** Removes every field line named {@code name}; returns whether any was removed. */
    public boolean remove(String name) {
        checkWritable();
        boolean removed = false;
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i)) {
            removeAt(i);
            removed = true;
        }
        return removed;
    }

    public void clear() {
        checkWritable();
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    /** Distinct names in first-seen order (with the case they were first added in). */
    public Set<String> names() {
        Set<String> seen = new LinkedHashSet<>();
        outer:
        for (int i = 0; i < size; i++) {
            for (String s : seen) {
                if (s.equalsIgnoreCase(names[i])) {
                    continue outer;
                }
            }
            seen.add(names[i]);
        }
        return seen;
    }

    /** Visits every field line in order. */
    public void forEach(BiConsumer<String, String> visitor) {
        for (int i = 0; i < size; i++) {
            visitor.accept(names[i], values[i]);
        }
    }

    /**
     * Empties the collection and makes it writable again, for a server that reuses one collection
     * for the next request of a connection (the previous request is over; nobody may hold it).
     */
    public void recycle() {
        readOnly = false;
        clear();
    }

    /** Makes this collection read-only (responses freeze their headers once sent). */
    public void makeReadOnly() {
        readOnly = true;
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /** The {@code Content-Length} value, or {@code -1} when absent or not a number. */
    public long contentLength() {
        String v = get("Content-Length");
        if (v == null) {
            return -1;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private int indexOf(String name, int from) {
        for (int i = from; i < size; i++) {
            String n = names[i];
            // Header names are mostly interned constants: try identity before the case-insensitive compare.
            if (n == name || n.equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        System.arraycopy(names, i + 1, names, i, size - i - 1);
        System.arraycopy(values, i + 1, values, i, size - i - 1);
        size--;
        names[size] = null;
        values[size] = null;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(index);
        }
    }

    private void checkWritable() {
        if (readOnly) {
            throw new IllegalStateException("headers are read-only: the response has already started");
        }
    }

    /**
     * Names must be tokens (RFC 9110 §5.6.2) and values field-value characters (§5.5: HTAB, SP,
     * VCHAR, obs-text): no CR, LF, NUL or other control, so that no header can split a message,
     * and nothing beyond ISO-8859-1. Servers then write fields without checking them again.
     */
    private static void validate(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
        if (value == null) {
            throw new IllegalArgumentException("header value must not be null: " + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 0x80 || !TOKEN[c]) {
                throw new IllegalArgumentException("invalid character in header name: " + name);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                throw new IllegalArgumentException(c == '\r' || c == '\n' || c == 0
                        ? "CR, LF or NUL in the value of header " + name
                        : "invalid character in the value of header " + name);
            }
        }
    }

    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < size; i++) {
            sb.append(i == 0 ? "" : ", ").append(names[i]).append(": ").append(values[i]);
        }
        return sb.append('}').toString();
    }
}
