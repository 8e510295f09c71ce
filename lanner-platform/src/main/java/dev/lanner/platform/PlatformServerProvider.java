package dev.lanner.platform;

import dev.lanner.http.server.Server;
import dev.lanner.http.server.ServerProvider;
import dev.lanner.http.server.ServerSettings;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.ServerOptionsBinder;
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

    /** The options from configuration; a malformed value fails with one line naming its source and key. */
    public static PlatformServerOptions bind(ServerSettings settings) {
        LannerServerOptions shared = ServerOptionsBinder.bind(settings);
        ServerLimits limits = shared.limits();
        String name = settings.get("ApplicationName");
        String owner = name == null || name.isBlank()
                ? "application (pid " + ProcessHandle.current().pid() + ")" : "application '" + name.trim() + "'";
        return new PlatformServerOptions(owner,
                urlPrefixes(settings), requestQueueLimit(settings), limits.maxRequestBodySize(),
                limits.maxConcurrentConnections(), limits.keepAliveTimeout(), limits.requestHeadersTimeout(),
                limits.maxRequestLineSize(), limits.maxRequestHeaderCount(),
                limits.maxRequestHeadersTotalSize(), shared.addServerHeader(),
                shared.tlsDefaults().defaultCertificate(), shared.tlsDefaults().development());
    }

    private static int requestQueueLimit(ServerSettings settings) {
        String key = "Server:Platform:RequestQueueLimit";
        String raw = settings.get(key);
        if (raw == null) {
            return PlatformServerOptions.DEFAULT_REQUEST_QUEUE_LIMIT;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("Invalid configuration value in " + settings.sourceOf(key) + ": '" + key
                + "' = \"" + raw + "\" is not a valid positive integer (expected type int)");
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
