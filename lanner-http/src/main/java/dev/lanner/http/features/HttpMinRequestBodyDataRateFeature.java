package dev.lanner.http.features;

/** The per-request minimum request body data rate ({@code null} disables the check). */
public interface HttpMinRequestBodyDataRateFeature {
    MinDataRate minDataRate();
    void setMinDataRate(MinDataRate rate);
}
