package dev.lanner.server;

import java.time.Duration;

/**
 * HTTP/2 limits of the default server ({@code Server:Limits:Http2:*}), with Kestrel's defaults.
 * Immutable; safe from any thread.
 *
 * @param maxStreamsPerConnection      SETTINGS_MAX_CONCURRENT_STREAMS; streams beyond it are refused (REFUSED_STREAM). Default 100.
 * @param headerTableSize              SETTINGS_HEADER_TABLE_SIZE, the HPACK dynamic table the server keeps for decoding. Default 4096.
 * @param maxFrameSize                 SETTINGS_MAX_FRAME_SIZE the server accepts (16,384..16,777,215). Default 16,384.
 * @param maxRequestHeaderFieldSize    the largest decoded header field (name + value) accepted; larger is a
 *                                     COMPRESSION_ERROR. Default 32 KiB.
 * @param initialConnectionWindowSize  the connection receive window (at least 65,535). Default 1 MiB.
 * @param initialStreamWindowSize      SETTINGS_INITIAL_WINDOW_SIZE, each stream's receive window. Default 768 KiB.
 * @param keepAlivePingDelay           send a PING after this long without any frame; null disables. Default null.
 * @param keepAlivePingTimeout         close the connection when a keep-alive PING is not answered in time. Default 20 s.
 */
public record Http2Limits(int maxStreamsPerConnection, int headerTableSize, int maxFrameSize,
                          int maxRequestHeaderFieldSize, int initialConnectionWindowSize,
                          int initialStreamWindowSize, Duration keepAlivePingDelay, Duration keepAlivePingTimeout) {

    public static final int MIN_FRAME_SIZE = 16_384;
    public static final int MAX_FRAME_SIZE = 16_777_215;
    public static final int MAX_WINDOW_SIZE = Integer.MAX_VALUE;

    public Http2Limits {
        if (maxStreamsPerConnection < 1) {
            throw new IllegalArgumentException("Http2 MaxStreamsPerConnection must be at least 1, was " + maxStreamsPerConnection);
        }
        if (headerTableSize < 0) {
            throw new IllegalArgumentException("Http2 HeaderTableSize must not be negative, was " + headerTableSize);
        }
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("Http2 MaxFrameSize must be within 16384..16777215, was " + maxFrameSize);
        }
        if (maxRequestHeaderFieldSize < 1) {
            throw new IllegalArgumentException("Http2 MaxRequestHeaderFieldSize must be positive, was " + maxRequestHeaderFieldSize);
        }
        if (initialConnectionWindowSize < 65_535) {
            throw new IllegalArgumentException("Http2 InitialConnectionWindowSize must be at least 65535, was " + initialConnectionWindowSize);
        }
        if (initialStreamWindowSize < 65_535) {
            throw new IllegalArgumentException("Http2 InitialStreamWindowSize must be at least 65535, was " + initialStreamWindowSize);
        }
        if (keepAlivePingTimeout == null) {
            keepAlivePingTimeout = Duration.ofSeconds(20);
        }
    }

    public static Http2Limits defaults() {
        return new Http2Limits(100, 4096, 16_384, 32 * 1024, 1024 * 1024, 768 * 1024, null, Duration.ofSeconds(20));
    }

    public Http2Limits withMaxStreamsPerConnection(int value) {
        return new Http2Limits(value, headerTableSize, maxFrameSize, maxRequestHeaderFieldSize,
                initialConnectionWindowSize, initialStreamWindowSize, keepAlivePingDelay, keepAlivePingTimeout);
    }

    public Http2Limits withHeaderTableSize(int value) {
        return new Http2Limits(maxStreamsPerConnection, value, maxFrameSize, maxRequestHeaderFieldSize,
                initialConnectionWindowSize, initialStreamWindowSize, keepAlivePingDelay, keepAlivePingTimeout);
    }

    public Http2Limits withMaxFrameSize(int value) {
        return new Http2Limits(maxStreamsPerConnection, headerTableSize, value, maxRequestHeaderFieldSize,
                initialConnectionWindowSize, initialStreamWindowSize, keepAlivePingDelay, keepAlivePingTimeout);
    }

    public Http2Limits withMaxRequestHeaderFieldSize(int value) {
        return new Http2Limits(maxStreamsPerConnection, headerTableSize, maxFrameSize, value,
                initialConnectionWindowSize, initialStreamWindowSize, keepAlivePingDelay, keepAlivePingTimeout);
    }

    public Http2Limits withInitialConnectionWindowSize(int value) {
        return new Http2Limits(maxStreamsPerConnection, headerTableSize, maxFrameSize, maxRequestHeaderFieldSize,
                value, initialStreamWindowSize, keepAlivePingDelay, keepAlivePingTimeout);
    }

    public Http2Limits withInitialStreamWindowSize(int value) {
        return new Http2Limits(maxStreamsPerConnection, headerTableSize, maxFrameSize, maxRequestHeaderFieldSize,
                initialConnectionWindowSize, value, keepAlivePingDelay, keepAlivePingTimeout);
    }

    public Http2Limits withKeepAlivePing(Duration delay, Duration timeout) {
        return new Http2Limits(maxStreamsPerConnection, headerTableSize, maxFrameSize, maxRequestHeaderFieldSize,
                initialConnectionWindowSize, initialStreamWindowSize, delay, timeout);
    }
}
