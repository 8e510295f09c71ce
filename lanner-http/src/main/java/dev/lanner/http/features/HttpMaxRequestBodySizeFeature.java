package dev.lanner.http.features;

/** The per-request body limit; settable until the body starts being read (then {@link #isReadOnly()}). */
public interface HttpMaxRequestBodySizeFeature {
    boolean isReadOnly();

    /** The limit in bytes, or {@code null} for none. */
    Long maxRequestBodySize();

    /** @throws IllegalStateException when {@link #isReadOnly()} */
    void setMaxRequestBodySize(Long bytes);
}
