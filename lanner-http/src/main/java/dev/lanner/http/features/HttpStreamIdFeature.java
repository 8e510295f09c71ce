package dev.lanner.http.features;

/** The HTTP/2 stream id of the request. */
public interface HttpStreamIdFeature {
    int streamId();
}
