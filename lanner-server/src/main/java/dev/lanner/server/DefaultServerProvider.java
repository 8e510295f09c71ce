package dev.lanner.server;

import dev.lanner.http.server.Server;
import dev.lanner.http.server.ServerProvider;
import dev.lanner.http.server.ServerSettings;

/**
 * Registers the default server under the name {@code default} for hosting's {@code server} setting.
 * Stateless; hosting calls it on the thread that creates the server.
 */
public final class DefaultServerProvider implements ServerProvider {

    @Override
    public String name() {
        return "default";
    }

    @Override
    public Server create(ServerSettings settings) {
        return new LannerServer(ServerOptionsBinder.bind(settings));
    }
}
