package dev.lanner.platform;

import dev.lanner.http.server.Server;
import dev.lanner.http.server.ServerProvider;
import dev.lanner.http.server.ServerSettings;
import dev.lanner.tls.CertificateConfiguration;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers the platform server under the name {@code platform} ({@code --server=platform}). It reads
 * the limits, the default certificate and the environment with the default server's keys
 * ({@code Server:Limits:*}, {@code Server:Certificates:Default:*}), so one configuration serves both,
 * plus its own {@code Server:Platform:UrlPrefixes} and {@code Server:Platform:RequestQueueLimit}.
 */
public final class PlatformServerProvider implements ServerProvider {

    @Override
    public String name() {
        return "platform";
    }

    @Override
    public Server create(ServerSettings settings) {
        return new PlatformServer(bind(settings));
    }

    /**
     * The options from configuration; a malformed value fails with one line naming its source and key.
     * The shared keys are read here with the default server's names and defaults
     * ({@link PlatformServerOptions#defaults()}), so one configuration serves both servers.
     */
    public static PlatformServerOptions bind(ServerSettings settings) {
        PlatformServerOptions d = PlatformServerOptions.defaults();
        String name = settings.get("ApplicationName");
        String owner = name == null || name.isBlank()
                ? "application (pid " + ProcessHandle.current().pid() + ")" : "application '" + name.trim() + "'";
        String limits = "Server:Limits:";
        return new PlatformServerOptions(owner, urlPrefixes(settings), requestQueueLimit(settings),
                settings.nullableLongValue(limits + "MaxRequestBodySize", d.maxRequestBodySize()),
                settings.nullableLongValue(limits + "MaxConcurrentConnections", d.maxConnections()),
                settings.durationValue(limits + "KeepAliveTimeout", d.idleConnectionTimeout()),
                settings.durationValue(limits + "RequestHeadersTimeout", d.requestHeadersTimeout()),
                settings.intValue(limits + "MaxRequestLineSize", d.maxRequestLineSize()),
                settings.intValue(limits + "MaxRequestHeaderCount", d.maxRequestHeaderCount()),
                settings.intValue(limits + "MaxRequestHeadersTotalSize", d.maxRequestHeadersTotalSize()),
                settings.booleanValue("Server:AddServerHeader", d.addServerHeader()),
                CertificateConfiguration.read("Server:Certificates:Default", settings::get, settings::sourceOf),
                settings.isDevelopment());
    }

    private static int requestQueueLimit(ServerSettings settings) {
        return settings.parse("Server:Platform:RequestQueueLimit", PlatformServerOptions.DEFAULT_REQUEST_QUEUE_LIMIT,
                "positive integer (expected type int)", s -> {
                    int value = Integer.parseInt(s);
                    return value > 0 ? value : null;
                });
    }

    /** {@code Server:Platform:UrlPrefixes} as one {@code ;}-separated value or as a JSON array ({@code :0}, {@code :1}, ...). */
    private static List<String> urlPrefixes(ServerSettings settings) {
        String key = "Server:Platform:UrlPrefixes";
        List<String> prefixes = new ArrayList<>();
        String whole = settings.get(key);
        if (whole != null) {
            for (String part : whole.split(";")) {
                if (!part.isBlank()) {
                    prefixes.add(part.trim());
                }
            }
        }
        for (String child : settings.childKeys(key)) {
            String value = settings.get(key + ":" + child);
            if (value != null && !value.isBlank()) {
                prefixes.add(value.trim());
            }
        }
        for (String prefix : prefixes) {
            try {
                UrlPrefix.parse(prefix);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid configuration value in " + settings.sourceOf(key) + ": '"
                        + key + "': " + e.getMessage());
            }
        }
        return prefixes;
    }
}
