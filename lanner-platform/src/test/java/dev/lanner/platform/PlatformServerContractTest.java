package dev.lanner.platform;

import dev.lanner.http.server.Server;
import dev.lanner.testkit.ServerContractTests;
import dev.lanner.testkit.ServerFixture;

/** The server test kit against the platform server, over real sockets. */
class PlatformServerContractTest extends ServerContractTests {

    @Override
    protected ServerFixture fixture() {
        return new ServerFixture() {
            @Override
            public Server create() {
                return new PlatformServer(PlatformServerOptions.defaults().withName("contract test"));
            }
        };
    }
}
