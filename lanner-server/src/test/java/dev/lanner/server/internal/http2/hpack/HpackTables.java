package dev.lanner.server.internal.http2.hpack;

import java.util.List;

/**
 * The dynamic tables of an encoder and a decoder, for tests outside this package (the HPACK fuzz
 * target): the tables themselves stay package-private.
 */
public final class HpackTables {

    private HpackTables() {
    }

    /** The decoder's dynamic table size (RFC 7541 §4.1). */
    public static int size(HpackDecoder decoder) {
        return decoder.dynamicTable().size();
    }

    /** The decoder's dynamic table capacity, as last set by a size update (RFC 7541 §4.2). */
    public static int capacity(HpackDecoder decoder) {
        return decoder.dynamicTable().capacity();
    }

    /** The decoder's entries as "name: value" lines, newest first. */
    public static List<String> entries(HpackDecoder decoder) {
        return RecordingSink.tableOf(decoder.dynamicTable());
    }

    /** The encoder's entries as "name: value" lines, newest first. */
    public static List<String> entries(HpackEncoder encoder) {
        return RecordingSink.tableOf(encoder.dynamicTable());
    }
}
