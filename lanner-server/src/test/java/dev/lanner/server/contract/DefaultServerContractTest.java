package dev.lanner.server.contract;

import dev.lanner.http.server.Server;
import dev.lanner.server.EndpointOptions;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.testkit.ServerContractTests;
import dev.lanner.testkit.ServerFixture;

/** The server test kit against the default server, over real sockets. */
class DefaultServerContractTest extends ServerContractTests {

    @Override
    protected ServerFixture fixture() {
        return new ServerFixture() {
            @Override
            public Server create() {
                return new LannerServer(LannerServerOptions.defaults());
            }

            @Override
            public Server createWithOwnUrl(String url) {
                return new LannerServer(LannerServerOptions.defaults().withEndpoint(EndpointOptions.of(url)));
            }
        };
    }
}
