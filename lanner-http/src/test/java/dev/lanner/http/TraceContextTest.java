package dev.lanner.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** W3C Trace Context {@code traceparent} parsing, with the specification's examples. */
class TraceContextTest {

    @Test
    void parsesTheSpecificationsExample() {
        TraceContext trace = TraceContext.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE");

        assertThat(trace).isEqualTo(new TraceContext("00", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 1,
                "rojo=00f067aa0ba902b7, congo=t61rcWkgMzE"));
        assertThat(trace.sampled()).isTrue();
        assertThat(trace.traceparentFor("b7ad6b7169203331")).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01");
    }

    @Test
    void aLaterVersionMayAppendFields() {
        TraceContext trace = TraceContext.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-the-future-holds", null);

        assertThat(trace).isEqualTo(new TraceContext("cc", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0, null));
        assertThat(trace.sampled()).isFalse();
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // version 00 has exactly four fields
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",        // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",        // all-zero parent id
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",        // upper-case hex
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",         // short trace id
        "00_4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",        // wrong separator
        "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",       // later version: extra data without '-'
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g"         // flags not hex
    })
    void rejectsWhatTheSpecificationRejects(String traceparent) {
        assertThat(TraceContext.parse(traceparent, "a=b")).isNull();
    }
}
