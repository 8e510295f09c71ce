package dev.lanner.server;

import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.server.ServerSettings;
import dev.lanner.server.tls.ClientCertificateMode;
import dev.lanner.server.tls.TlsOptions;
import dev.lanner.tls.CertificateConfiguration;
import dev.lanner.tls.ServerCertificateSelector;
import dev.lanner.tls.ServerCertificateSource;
import dev.lanner.tls.SniCertificateSelector;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@link LannerServerOptions} from configuration: {@code Server:AddServerHeader},
 * {@code Server:AllowSynchronousIO} and every {@code Server:Limits:*} key named after a
 * {@link ServerLimits} component ({@code Server:Limits:MaxRequestBodySize},
 * {@code Server:Limits:KeepAliveTimeout}, {@code Server:Limits:MinRequestBodyDataRate:BytesPerSecond}, ...).
 * Numbers may be empty or {@code null} where the limit can be disabled. A malformed value fails
 * with one line naming its source, key and expected type. (The server depends on the JDK alone,
 * so it reads its few keys itself instead of through hosting's configuration binder.) Each
 * {@link #bind(ServerSettings)} call reads on the caller's thread (hosting's, through
 * {@link DefaultServerProvider}) with an instance of its own.
 */
public final class ServerOptionsBinder {

    private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\R\\s*");

    private final ServerSettings settings;

    private ServerOptionsBinder(ServerSettings settings) {
        this.settings = settings;
    }

    public static LannerServerOptions bind(ServerSettings settings) {
        try {
            return new ServerOptionsBinder(settings).bind();
        } catch (IllegalArgumentException e) {
            // One line whatever the keys hold (a JSON key may have a line break), as hosting's errors.
            String message = e.getMessage();
            if (message != null && LINE_BREAK.matcher(message).find()) {
                throw new IllegalArgumentException(LINE_BREAK.matcher(message.strip()).replaceAll(" "), e);
            }
            throw e;
        }
    }

    private LannerServerOptions bind() {
        ServerLimits d = ServerLimits.defaults();
        String p = "Server:Limits:";
        ServerLimits limits = new ServerLimits(
                nullableLong(p + "MaxConcurrentConnections", d.maxConcurrentConnections()),
                nullableLong(p + "MaxConcurrentUpgradedConnections", d.maxConcurrentUpgradedConnections()),
                integer(p + "MaxRequestLineSize", d.maxRequestLineSize()),
                integer(p + "MaxRequestHeadersTotalSize", d.maxRequestHeadersTotalSize()),
                integer(p + "MaxRequestHeaderCount", d.maxRequestHeaderCount()),
                nullableLong(p + "MaxRequestBodySize", d.maxRequestBodySize()),
                duration(p + "RequestHeadersTimeout", d.requestHeadersTimeout()),
                duration(p + "KeepAliveTimeout", d.keepAliveTimeout()),
                rate(p + "MinRequestBodyDataRate", d.minRequestBodyDataRate()),
                rate(p + "MinResponseDataRate", d.minResponseDataRate()),
                integer(p + "MaxResponseBufferSize", d.maxResponseBufferSize()));
        LannerServerOptions defaults = LannerServerOptions.defaults();
        return defaults.withLimits(limits)
                .withAddServerHeader(bool("Server:AddServerHeader", defaults.addServerHeader()))
                .withAllowSynchronousIO(bool("Server:AllowSynchronousIO", defaults.allowSynchronousIO()))
                .withTransport(parse("Server:Transport", defaults.transport(), "transport (one of [EventLoop, Blocking])",
                        s -> switch (s.toLowerCase(java.util.Locale.ROOT)) {
                            case "eventloop", "event_loop", "event-loop" -> LannerServerOptions.TransportKind.EVENT_LOOP;
                            case "blocking" -> LannerServerOptions.TransportKind.BLOCKING;
                            default -> null;
                        }))
                .withHttp2(http2())
                .withTlsDefaults(new LannerServerOptions.TlsDefaults(
                        certificate("Server:Certificates:Default"), isDevelopment()))
                .withEndpoints(endpoints());
    }

    private boolean isDevelopment() {
        return settings.isDevelopment();
    }

    private Http2Limits http2() {
        Http2Limits d = Http2Limits.defaults();
        String p = "Server:Limits:Http2:";
        try {
            return new Http2Limits(
                    integer(p + "MaxStreamsPerConnection", d.maxStreamsPerConnection()),
                    integer(p + "HeaderTableSize", d.headerTableSize()),
                    integer(p + "MaxFrameSize", d.maxFrameSize()),
                    integer(p + "MaxRequestHeaderFieldSize", d.maxRequestHeaderFieldSize()),
                    integer(p + "InitialConnectionWindowSize", d.initialConnectionWindowSize()),
                    integer(p + "InitialStreamWindowSize", d.initialStreamWindowSize()),
                    duration(p + "KeepAlivePingDelay", d.keepAlivePingDelay()),
                    duration(p + "KeepAlivePingTimeout", d.keepAlivePingTimeout()));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Invalid configuration value")) {
                throw e;
            }
            throw new IllegalArgumentException("Invalid configuration in Server:Limits:Http2: " + e.getMessage());
        }
    }

    /**
     * {@code Server:Endpoints:{name}:Url}, {@code :Protocols}, {@code :Certificate:{Path,KeyPath,Password}},
     * {@code :ClientCertificateMode}, {@code :SslProtocols} and {@code :Sni:{host}:Certificate:*} (Kestrel's schema).
     */
    private java.util.List<EndpointOptions> endpoints() {
        java.util.List<EndpointOptions> list = new java.util.ArrayList<>();
        for (String name : settings.childKeys("Server:Endpoints")) {
            String p = "Server:Endpoints:" + name + ":";
            String url = settings.get(p + "Url");
            if (url == null || url.isBlank()) {
                throw new IllegalArgumentException("Invalid configuration in " + settings.sourceOf(p + "Url")
                        + ": endpoint '" + name + "' has no Url (Server:Endpoints:" + name + ":Url)");
            }
            HttpProtocols protocols = parse(p + "Protocols", HttpProtocols.HTTP1_AND_HTTP2,
                    "protocol set (one of [Http1, Http2, Http1AndHttp2])", HttpProtocols::parse);
            TlsOptions tls = null;
            if (url.trim().regionMatches(true, 0, "https:", 0, 6)) {
                ServerCertificateSource own = certificate(p + "Certificate");
                java.util.Map<String, ServerCertificateSource> sni = new java.util.LinkedHashMap<>();
                for (String host : settings.childKeys(p + "Sni")) {
                    ServerCertificateSource hostCertificate = certificate(p + "Sni:" + host + ":Certificate");
                    if (hostCertificate == null) {
                        throw new IllegalArgumentException("Invalid configuration in " + settings.sourceOf(p + "Sni:" + host)
                                + ": SNI entry '" + host + "' of endpoint '" + name + "' has no Certificate:Path");
                    }
                    sni.put(host, hostCertificate);
                }
                ClientCertificateMode mode = parse(p + "ClientCertificateMode", ClientCertificateMode.NO_CERTIFICATE,
                        "client certificate mode (one of [NoCertificate, AllowCertificate, RequireCertificate])",
                        ClientCertificateMode::parse);
                java.util.List<String> sslProtocols = parse(p + "SslProtocols", TlsOptions.DEFAULT_PROTOCOLS,
                        "TLS protocol list (Tls12, Tls13)", ServerOptionsBinder::parseSslProtocols);
                // No certificate of its own: null, and the server uses its default (or the development) one.
                ServerCertificateSelector selector = own == null && sni.isEmpty() ? null
                        : sni.isEmpty() ? ServerCertificateSelector.single(own) : new SniCertificateSelector(sni, own);
                tls = new TlsOptions(selector, mode, sslProtocols, List.of(), null);
            }
            list.add(new EndpointOptions(name, url.trim(), protocols, tls));
        }
        return list;
    }

    private static java.util.List<String> parseSslProtocols(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String part : s.split("[,;| ]+")) {
            switch (part.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "tls12", "tlsv1.2", "tls1.2" -> out.add("TLSv1.2");
                case "tls13", "tlsv1.3", "tls1.3" -> out.add("TLSv1.3");
                case "" -> { }
                default -> throw new IllegalArgumentException(part);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(s);
        }
        return out;
    }

    /**
     * {@code {section}:Path}, {@code :KeyPath}, {@code :Password}; null when no Path is configured. The files are
     * read when the server starts its HTTPS endpoints ({@link ServerCertificateSource#prepare()}).
     */
    private ServerCertificateSource certificate(String section) {
        return CertificateConfiguration.readDeferred(section, settings::get, settings::sourceOf);
    }

    private <T> T parse(String key, T fallback, String expected, Function<String, T> parser) {
        return settings.parse(key, fallback, expected, parser);
    }

    private int integer(String key, int fallback) {
        return settings.intValue(key, fallback);
    }

    private boolean bool(String key, boolean fallback) {
        return settings.booleanValue(key, fallback);
    }

    private Long nullableLong(String key, Long fallback) {
        return settings.nullableLongValue(key, fallback);
    }

    private Duration duration(String key, Duration fallback) {
        return settings.durationValue(key, fallback);
    }

    private MinDataRate rate(String section, MinDataRate fallback) {
        String whole = settings.get(section);
        if (whole != null && (whole.isBlank() || whole.trim().equalsIgnoreCase("null"))) {
            return null;
        }
        double bytesPerSecond = parse(section + ":BytesPerSecond",
                fallback == null ? 240.0 : fallback.bytesPerSecond(), "number (expected type double)", Double::parseDouble);
        Duration grace = duration(section + ":GracePeriod", fallback == null ? Duration.ofSeconds(5) : fallback.gracePeriod());
        if (fallback == null && settings.get(section + ":BytesPerSecond") == null) {
            return null;
        }
        return new MinDataRate(bytesPerSecond, grace);
    }

    /** @see ServerSettings#parseDuration */
    static Duration parseDuration(String s) {
        return ServerSettings.parseDuration(s);
    }
}
