package dev.lanner.server.internal.http2.hpack;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Records decoded fields, and the decoder's String hints, for assertions. */
final class RecordingSink implements HeaderSink {
    /** One delivered field. */
    record Field(String name, String value, boolean neverIndexed, String knownName, String knownValue) {
    }

    final List<Field> fields = new ArrayList<>();

    @Override
    public void header(String knownName, byte[] name, int nameOffset, int nameLength, String knownValue,
            byte[] value, int valueOffset, int valueLength, boolean neverIndexed) {
        String n = new String(name, nameOffset, nameLength, StandardCharsets.ISO_8859_1);
        String v = new String(value, valueOffset, valueLength, StandardCharsets.ISO_8859_1);
        if (knownName != null && !knownName.equals(n)) {
            throw new AssertionError("knownName " + knownName + " != " + n);
        }
        if (knownValue != null && !knownValue.equals(v)) {
            throw new AssertionError("knownValue " + knownValue + " != " + v);
        }
        fields.add(new Field(n, v, neverIndexed, knownName, knownValue));
    }

    /** The fields as name/value pairs, in order. */
    List<Map.Entry<String, String>> headers() {
        return fields.stream().map(f -> Map.entry(f.name(), f.value())).toList();
    }

    void clear() {
        fields.clear();
    }

    /** Decodes one block with {@code decoder} and returns its fields as pairs. */
    static List<Map.Entry<String, String>> decode(HpackDecoder decoder, byte[] block) throws HpackException {
        RecordingSink sink = new RecordingSink();
        decoder.decode(block, sink);
        return sink.headers();
    }

    /** The decoder's or encoder's dynamic table as "name: value" lines, newest first. */
    static List<String> tableOf(HpackDynamicTable table) {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= table.length(); i++) {
            entries.add(table.get(i).toString());
        }
        return entries;
    }
}
