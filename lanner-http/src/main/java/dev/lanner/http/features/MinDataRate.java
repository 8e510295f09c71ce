package dev.lanner.http.features;

import java.time.Duration;

/**
 * A minimum transfer rate: after {@code gracePeriod}, a transfer slower than {@code bytesPerSecond}
 * on average is cut off.
 */
public record MinDataRate(double bytesPerSecond, Duration gracePeriod) {
    public MinDataRate {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("bytesPerSecond must be positive: " + bytesPerSecond);
        }
        if (gracePeriod == null || gracePeriod.isNegative()) {
            throw new IllegalArgumentException("gracePeriod must be zero or positive: " + gracePeriod);
        }
    }
}
