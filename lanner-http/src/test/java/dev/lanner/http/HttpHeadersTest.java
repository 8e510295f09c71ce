package dev.lanner.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpHeadersTest {

    @Test
    void namesAreCaseInsensitiveAndRepeatedValuesKeepTheirOrder() {
        HttpHeaders h = HttpHeaders.of("Accept", "a", "X-Tag", "1", "accept", "b");
        assertThat(h.get("ACCEPT")).isEqualTo("a");
        assertThat(h.getAll("accept")).containsExactly("a", "b");
        assertThat(h.getCombined("Accept")).isEqualTo("a, b");
        assertThat(h.names()).containsExactly("Accept", "X-Tag");
        assertThat(h.size()).isEqualTo(3);
    }

    @Test
    void setReplacesEveryValueAndRemoveDeletesAll() {
        HttpHeaders h = HttpHeaders.of("A", "1", "B", "2", "a", "3", "A", "4");
        h.set("a", "x");
        assertThat(h.getAll("A")).containsExactly("x");
        assertThat(h.nameAt(0)).isEqualTo("a");
        assertThat(h.valueAt(1)).isEqualTo("2");
        h.add("A", "y");
        assertThat(h.remove("A")).isTrue();
        assertThat(h.contains("a")).isFalse();
        assertThat(h.size()).isEqualTo(1);
    }

    @Test
    void rejectsResponseSplittingCharacters() {
        HttpHeaders h = new HttpHeaders();
        assertThatThrownBy(() -> h.add("X", "a\r\nSet-Cookie: evil")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("Bad Name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add("X:", "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readOnlyHeadersRefuseChanges() {
        HttpHeaders h = HttpHeaders.of("A", "1");
        h.makeReadOnly();
        assertThatThrownBy(() -> h.add("B", "2")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> h.set("A", "2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void contentLengthParsesOrReportsMinusOne() {
        assertThat(HttpHeaders.of("Content-Length", "42").contentLength()).isEqualTo(42);
        assertThat(HttpHeaders.of("Content-Length", "x").contentLength()).isEqualTo(-1);
        assertThat(new HttpHeaders().contentLength()).isEqualTo(-1);
    }

    @Test
    void growsBeyondInitialCapacity() {
        HttpHeaders h = new HttpHeaders(1);
        for (int i = 0; i < 50; i++) {
            h.add("H" + i, Integer.toString(i));
        }
        assertThat(h.get("h49")).isEqualTo("49");
        h.clear();
        assertThat(h.isEmpty()).isTrue();
    }
}
