package dev.lanner.server;

import dev.lanner.http.features.MinDataRate;
import java.time.Duration;

/**
 * Every limit and timeout of the default server, with Kestrel's defaults. One place per limit:
 * the connection code reads them from here and nowhere else. Configurable in code
 * ({@link #defaults()} then {@code with...}) and through the {@code Server:Limits} configuration
 * section (see {@link ServerOptionsBinder}). Immutable; safe from any thread.
 *
 * @param maxConcurrentConnections          open connections at once; {@code null} = unlimited (default); beyond it new connections are closed at once
 * @param maxConcurrentUpgradedConnections  connections upgraded with 101; {@code null} = unlimited (default); beyond it the upgrade is refused
 * @param maxRequestLineSize                request line bytes, its CRLF included as Kestrel counts it (default 8 KiB; 414)
 * @param maxRequestHeadersTotalSize        header section bytes: every field line with its CRLF, not the final empty line (default 32 KiB; 431)
 * @param maxRequestHeaderCount             header fields (default 100; 431)
 * @param maxRequestBodySize                body bytes per request, overridable per request; {@code null} = unlimited (default 30,000,000; 413)
 * @param requestHeadersTimeout             from the first byte of a request to the end of its headers (default 30 s; 408 and close)
 * @param keepAliveTimeout                  idle time between requests on a connection (default 120 s; close)
 * @param minRequestBodyDataRate            {@code null} disables (default 240 B/s after 5 s; 408 and close)
 * @param minResponseDataRate               {@code null} disables (default 240 B/s after 5 s; abort)
 * @param maxResponseBufferSize             response bytes buffered before writes block the application (default 64 KiB)
 */
public record ServerLimits(Long maxConcurrentConnections, Long maxConcurrentUpgradedConnections,
                           int maxRequestLineSize, int maxRequestHeadersTotalSize, int maxRequestHeaderCount,
                           Long maxRequestBodySize, Duration requestHeadersTimeout, Duration keepAliveTimeout,
                           MinDataRate minRequestBodyDataRate, MinDataRate minResponseDataRate,
                           int maxResponseBufferSize) {

    public ServerLimits {
        positive("MaxConcurrentConnections", maxConcurrentConnections);
        positive("MaxConcurrentUpgradedConnections", maxConcurrentUpgradedConnections);
        positive("MaxRequestLineSize", (long) maxRequestLineSize);
        positive("MaxRequestHeadersTotalSize", (long) maxRequestHeadersTotalSize);
        positive("MaxRequestHeaderCount", (long) maxRequestHeaderCount);
        if (maxRequestBodySize != null && maxRequestBodySize < 0) {
            throw new IllegalArgumentException("MaxRequestBodySize must be zero or positive: " + maxRequestBodySize);
        }
        positiveDuration("RequestHeadersTimeout", requestHeadersTimeout);
        positiveDuration("KeepAliveTimeout", keepAliveTimeout);
        positive("MaxResponseBufferSize", (long) maxResponseBufferSize);
    }

    /** Kestrel's defaults. */
    public static ServerLimits defaults() {
        MinDataRate rate = new MinDataRate(240, Duration.ofSeconds(5));
        return new ServerLimits(null, null, 8 * 1024, 32 * 1024, 100, 30_000_000L,
                Duration.ofSeconds(30), Duration.ofSeconds(120), rate, rate, 64 * 1024);
    }

    public ServerLimits withMaxConcurrentConnections(Long v) {
        return new ServerLimits(v, maxConcurrentUpgradedConnections, maxRequestLineSize, maxRequestHeadersTotalSize,
                maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout, keepAliveTimeout,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withMaxConcurrentUpgradedConnections(Long v) {
        return new ServerLimits(maxConcurrentConnections, v, maxRequestLineSize, maxRequestHeadersTotalSize,
                maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout, keepAliveTimeout,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withMaxRequestLineSize(int v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, v, maxRequestHeadersTotalSize,
                maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout, keepAliveTimeout,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withMaxRequestHeadersTotalSize(int v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize, v,
                maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout, keepAliveTimeout,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withMaxRequestHeaderCount(int v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize,
                maxRequestHeadersTotalSize, v, maxRequestBodySize, requestHeadersTimeout, keepAliveTimeout,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withMaxRequestBodySize(Long v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize,
                maxRequestHeadersTotalSize, maxRequestHeaderCount, v, requestHeadersTimeout, keepAliveTimeout,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withRequestHeadersTimeout(Duration v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize,
                maxRequestHeadersTotalSize, maxRequestHeaderCount, maxRequestBodySize, v, keepAliveTimeout,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withKeepAliveTimeout(Duration v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize,
                maxRequestHeadersTotalSize, maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout, v,
                minRequestBodyDataRate, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withMinRequestBodyDataRate(MinDataRate v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize,
                maxRequestHeadersTotalSize, maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout,
                keepAliveTimeout, v, minResponseDataRate, maxResponseBufferSize);
    }

    public ServerLimits withMinResponseDataRate(MinDataRate v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize,
                maxRequestHeadersTotalSize, maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout,
                keepAliveTimeout, minRequestBodyDataRate, v, maxResponseBufferSize);
    }

    public ServerLimits withMaxResponseBufferSize(int v) {
        return new ServerLimits(maxConcurrentConnections, maxConcurrentUpgradedConnections, maxRequestLineSize,
                maxRequestHeadersTotalSize, maxRequestHeaderCount, maxRequestBodySize, requestHeadersTimeout,
                keepAliveTimeout, minRequestBodyDataRate, minResponseDataRate, v);
    }

    private static void positive(String name, Long value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void positiveDuration(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration: " + value);
        }
    }
}
