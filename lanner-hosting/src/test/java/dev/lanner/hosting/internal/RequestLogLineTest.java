package dev.lanner.hosting.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The request log's duration, written without {@code String.format}: the same text as {@code %.3f}. */
class RequestLogLineTest {

    @ParameterizedTest
    @CsvSource({"0, 0.000", "7, 0.007", "42, 0.042", "999, 0.999", "1000, 1.000", "12469, 12.469", "1234567, 1234.567", "-5, 0.000"})
    void writesMicrosecondsAsMillisecondsWithThreeDecimals(long micros, String expected) {
        assertThat(HostingApplication.appendMillis(new StringBuilder(), micros).toString()).isEqualTo(expected);
        if (micros >= 0) {
            assertThat(String.format(java.util.Locale.ROOT, "%.3f", micros / 1000.0)).isEqualTo(expected);
        }
    }
}
