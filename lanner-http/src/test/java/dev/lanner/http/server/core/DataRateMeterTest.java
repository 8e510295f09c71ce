package dev.lanner.http.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.MinDataRate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DataRateMeterTest {

    private static final long SECOND = 1_000_000_000L;
    private final MinDataRate rate = new MinDataRate(240, Duration.ofSeconds(5));

    @Test
    void nothingIsTooSlowInsideTheGracePeriod() {
        assertThat(DataRateMeter.isBelow(rate, 0, 5 * SECOND)).isFalse();
        assertThat(DataRateMeter.isBelow(rate, 0, 5 * SECOND + 1)).isTrue();
    }

    @Test
    void theAverageSinceTheStartDecides() {
        assertThat(DataRateMeter.isBelow(rate, 240 * 6, 6 * SECOND)).isFalse();
        assertThat(DataRateMeter.isBelow(rate, 240 * 6 - 1, 6 * SECOND)).isTrue();
    }

    @Test
    void timeCountsOnlyWhileWaiting() {
        DataRateMeter meter = new DataRateMeter();
        for (int i = 0; i < 10; i++) {
            assertThat(meter.tick(SECOND, rate)).isFalse();
        }
        assertThat(meter.waitedNanos()).isZero();
        meter.startWaiting();
        for (int i = 0; i < 5; i++) {
            assertThat(meter.tick(SECOND, rate)).isFalse();
        }
        meter.addBytes(240 * 6);
        assertThat(meter.tick(SECOND, rate)).isFalse();
        assertThat(meter.tick(SECOND, rate)).isTrue();
        assertThat(meter.tick(SECOND, null)).isFalse();
        meter.reset();
        assertThat(meter.bytes()).isZero();
        assertThat(meter.waitedNanos()).isZero();
        assertThat(meter.isWaiting()).isFalse();
    }
}
