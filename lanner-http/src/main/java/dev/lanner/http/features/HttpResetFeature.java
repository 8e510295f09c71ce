package dev.lanner.http.features;

/** Resets the request's HTTP/2 stream with an error code (RST_STREAM, RFC 9113 §6.4). */
public interface HttpResetFeature {
    void reset(int errorCode);
}
