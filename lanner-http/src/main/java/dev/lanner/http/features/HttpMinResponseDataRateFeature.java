package dev.lanner.http.features;

/** The per-request minimum response data rate ({@code null} disables the check). */
public interface HttpMinResponseDataRateFeature {
    MinDataRate minDataRate();
    void setMinDataRate(MinDataRate rate);
}
