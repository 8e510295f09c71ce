package dev.lanner.hosting;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.http.server.Server;
import dev.lanner.http.server.ServerProvider;
import dev.lanner.http.server.ServerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/** Finds the server named by the {@code server} setting among the {@link ServerProvider}s on the class path. */
final class ServerSelection {

    private ServerSelection() {
    }

    static Server create(Configuration configuration, String applicationName) {
        String name = configuration.get("server", "default").trim();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ServerSelection.class.getClassLoader();
        }
        List<String> available = new ArrayList<>();
        for (ServerProvider provider : ServiceLoader.load(ServerProvider.class, loader)) {
            if (provider.name().equalsIgnoreCase(name)) {
                try {
                    return provider.create(settingsOf(configuration, applicationName));
                } catch (IllegalArgumentException e) {
                    // Servers report a malformed setting with a one-line message naming source and key.
                    throw new StartupException(e.getMessage(), e);
                }
            }
            available.add(provider.name());
        }
        throw new StartupException("No server named '" + name + "' is available (setting 'server' from "
                + configuration.sourceOf("server") + "); on the class path: "
                + (available.isEmpty() ? "none" : String.join(", ", available))
                + ". The default server is lanner-server, the platform server lanner-platform.");
    }

    /** The configuration as the server SPI sees it, with {@code ApplicationName} defaulting to the host's. */
    static ServerSettings settingsOf(Configuration configuration, String applicationName) {
        return new ServerSettings() {
            @Override
            public String get(String key) {
                String value = configuration.get(key);
                // Servers name the application in their messages (the platform server's prefix conflicts).
                return value == null && key.equalsIgnoreCase("ApplicationName") ? applicationName : value;
            }

            @Override
            public Set<String> childKeys(String sectionKey) {
                return configuration.section(sectionKey).childKeys();
            }

            @Override
            public String sourceOf(String key) {
                return configuration.sourceOf(key);
            }
        };
    }
}
