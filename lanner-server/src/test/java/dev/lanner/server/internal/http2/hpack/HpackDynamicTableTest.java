package dev.lanner.server.internal.http2.hpack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HpackDynamicTableTest {

    @Test
    void countsNameValueAndThirtyTwoOctetsPerEntry() {
        HpackDynamicTable table = new HpackDynamicTable(4096);
        table.add(field("custom-key", "custom-header"));
        assertThat(table.size()).isEqualTo(55); // RFC 7541 C.2.1
        table.add(field("", ""));
        assertThat(table.size()).isEqualTo(87);
        assertThat(table.length()).isEqualTo(2);
    }

    @Test
    void indexOneIsTheNewestAndTheOldestIsEvictedFirst() {
        HpackDynamicTable table = new HpackDynamicTable(3 * 34);
        table.add(field("a", "1"));
        table.add(field("b", "2"));
        table.add(field("c", "3"));
        assertThat(RecordingSink.tableOf(table)).containsExactly("c: 3", "b: 2", "a: 1");
        table.add(field("d", "4"));
        assertThat(RecordingSink.tableOf(table)).containsExactly("d: 4", "c: 3", "b: 2");
        assertThat(table.size()).isEqualTo(102);
        assertThatThrownBy(() -> table.get(4)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> table.get(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void keepsOrderAcrossWrapAroundAndGrowth() {
        HpackDynamicTable table = new HpackDynamicTable(10 * 34);
        for (int i = 0; i < 25; i++) { // wraps the 16-slot ring with at most 10 entries
            table.add(field("n", String.valueOf((char) ('a' + i))));
        }
        assertThat(table.length()).isEqualTo(10);
        table.setCapacity(100 * 34);
        for (int i = 0; i < 60; i++) { // grows the ring twice while wrapped
            table.add(field("m", String.valueOf(i % 10)));
        }
        assertThat(table.length()).isEqualTo(70);
        assertThat(table.get(1).toString()).isEqualTo("m: 9");
        assertThat(table.get(60).toString()).isEqualTo("m: 0");
        assertThat(table.get(61).toString()).isEqualTo("n: y");
        assertThat(table.get(70).toString()).isEqualTo("n: p");
        assertThat(table.indexOf(table.get(37))).isEqualTo(37);
    }

    @Test
    void loweringTheCapacityEvictsUntilTheEntriesFit() {
        HpackDynamicTable table = new HpackDynamicTable(4096);
        table.add(field("a", "1"));
        table.add(field("b", "2"));
        table.add(field("c", "3"));
        table.setCapacity(70);
        assertThat(RecordingSink.tableOf(table)).containsExactly("c: 3", "b: 2");
        table.setCapacity(0);
        assertThat(table.length()).isZero();
        assertThat(table.size()).isZero();
        table.add(field("d", "4")); // larger than a 0-octet table: not added, not an error
        assertThat(table.length()).isZero();
    }

    @Test
    void anEntryLargerThanTheCapacityEmptiesTheTable() {
        HpackDynamicTable table = new HpackDynamicTable(100);
        table.add(field("a", "1"));
        table.add(field("big", "x".repeat(66))); // 101 octets
        assertThat(table.length()).isZero();
        table.add(field("big", "x".repeat(65))); // exactly 100: fits
        assertThat(table.length()).isEqualTo(1);
        assertThat(table.size()).isEqualTo(100);
    }

    private static HpackHeaderField field(String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = value.getBytes(StandardCharsets.ISO_8859_1);
        return HpackHeaderField.ofDecoded(n, 0, n.length, null, v, 0, v.length);
    }
}
