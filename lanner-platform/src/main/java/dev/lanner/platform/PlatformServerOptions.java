package dev.lanner.platform;

import dev.lanner.tls.ServerCertificateSource;
import java.time.Duration;
import java.util.List;

/**
 * How a {@link PlatformServer} runs (HTTP.sys's {@code HttpSysOptions}).
 *
 * @param name                  the application's name, shown when another application asks for one of its prefixes
 * @param urlPrefixes           prefixes to register ({@code Server:Platform:UrlPrefixes}); empty: the hosting URLs
 * @param requestQueueLimit     requests of this application accepted at once, beyond which it answers 503
 *                              ({@code Server:Platform:RequestQueueLimit}, default 1000)
 * @param maxRequestBodySize    bytes, or null for none ({@code Server:Limits:MaxRequestBodySize}, default 30,000,000); 413 beyond
 * @param maxConnections        open connections per JVM, or null for unlimited ({@code Server:Limits:MaxConcurrentConnections});
 *                              the JDK closes connections beyond it at once
 * @param idleConnectionTimeout how long a keep-alive connection may idle ({@code Server:Limits:KeepAliveTimeout}, default 120 s)
 * @param requestHeadersTimeout how long the request head may take to arrive ({@code Server:Limits:RequestHeadersTimeout},
 *                              default 30 s); the JDK then closes the connection
 * @param maxRequestLineSize    bytes of request line ({@code Server:Limits:MaxRequestLineSize}, default 8 KiB); 414 beyond
 * @param maxRequestHeaderCount header fields per request ({@code Server:Limits:MaxRequestHeaderCount}, default 100); 400 beyond
 * @param maxRequestHeadersTotalSize bytes of request head ({@code Server:Limits:MaxRequestHeadersTotalSize}, default 32 KiB); 400 beyond
 * @param addServerHeader       whether responses carry {@code Server: Lanner} ({@code Server:AddServerHeader}, default true)
 * @param certificate           the certificate of {@code https} prefixes, or null: the development certificate in Development
 * @param development           whether the environment is {@code Development}
 */
public record PlatformServerOptions(String name, List<String> urlPrefixes, int requestQueueLimit, Long maxRequestBodySize,
                                    Long maxConnections, Duration idleConnectionTimeout, Duration requestHeadersTimeout,
                                    int maxRequestLineSize, int maxRequestHeaderCount,
                                    int maxRequestHeadersTotalSize, boolean addServerHeader,
                                    ServerCertificateSource certificate, boolean development) {

    public static final int DEFAULT_REQUEST_QUEUE_LIMIT = 1000;

    public PlatformServerOptions {
        urlPrefixes = List.copyOf(urlPrefixes);
        if (requestQueueLimit <= 0) {
            throw new IllegalArgumentException("RequestQueueLimit must be positive: " + requestQueueLimit);
        }
        if (maxRequestBodySize != null && maxRequestBodySize < 0) {
            throw new IllegalArgumentException("MaxRequestBodySize must not be negative: " + maxRequestBodySize);
        }
        if (maxConnections != null && maxConnections <= 0) {
            throw new IllegalArgumentException("MaxConcurrentConnections must be positive: " + maxConnections);
        }
    }

    public static PlatformServerOptions defaults() {
        return new PlatformServerOptions("application", List.of(), DEFAULT_REQUEST_QUEUE_LIMIT, 30_000_000L, null,
                Duration.ofSeconds(120), Duration.ofSeconds(30), 8 * 1024, 100, 32 * 1024, true, null, false);
    }

    public PlatformServerOptions withName(String value) {
        return new PlatformServerOptions(value, urlPrefixes, requestQueueLimit, maxRequestBodySize, maxConnections,
                idleConnectionTimeout, requestHeadersTimeout, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, certificate, development);
    }

    public PlatformServerOptions withUrlPrefixes(List<String> value) {
        return new PlatformServerOptions(name, value, requestQueueLimit, maxRequestBodySize, maxConnections,
                idleConnectionTimeout, requestHeadersTimeout, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, certificate, development);
    }

    public PlatformServerOptions withRequestQueueLimit(int value) {
        return new PlatformServerOptions(name, urlPrefixes, value, maxRequestBodySize, maxConnections,
                idleConnectionTimeout, requestHeadersTimeout, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, certificate, development);
    }

    public PlatformServerOptions withMaxRequestBodySize(Long value) {
        return new PlatformServerOptions(name, urlPrefixes, requestQueueLimit, value, maxConnections,
                idleConnectionTimeout, requestHeadersTimeout, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, certificate, development);
    }

    public PlatformServerOptions withMaxConnections(Long value) {
        return new PlatformServerOptions(name, urlPrefixes, requestQueueLimit, maxRequestBodySize, value,
                idleConnectionTimeout, requestHeadersTimeout, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, certificate, development);
    }

    public PlatformServerOptions withRequestHeadersTimeout(Duration value) {
        return new PlatformServerOptions(name, urlPrefixes, requestQueueLimit, maxRequestBodySize, maxConnections,
                idleConnectionTimeout, value, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, certificate, development);
    }

    public PlatformServerOptions withCertificate(ServerCertificateSource value) {
        return new PlatformServerOptions(name, urlPrefixes, requestQueueLimit, maxRequestBodySize, maxConnections,
                idleConnectionTimeout, requestHeadersTimeout, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, value, development);
    }

    public PlatformServerOptions withDevelopment(boolean value) {
        return new PlatformServerOptions(name, urlPrefixes, requestQueueLimit, maxRequestBodySize, maxConnections,
                idleConnectionTimeout, requestHeadersTimeout, maxRequestLineSize, maxRequestHeaderCount, maxRequestHeadersTotalSize, addServerHeader, certificate, value);
    }
}
