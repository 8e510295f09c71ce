package dev.lanner.platform;

import dev.lanner.http.server.Server;
import dev.lanner.testkit.ServerContractTests;
import dev.lanner.testkit.ServerFixture;
import java.util.List;

/** The server test kit against the platform server, over real sockets. */
class PlatformServerContractTest extends ServerContractTests {

    @Override
    protected ServerFixture fixture() {
        return new ServerFixture() {
            @Override
            public Server create() {
                return new PlatformServer(PlatformServerOptions.defaults().withName("contract test"));
            }

            @Override
            public Server createWithOwnUrl(String url) {
                return new PlatformServer(PlatformServerOptions.defaults().withName("own prefix").withUrlPrefixes(List.of(url)));
            }

            /** The JDK server cannot time its writes: the platform server offers no minimum response data rate. */
            @Override
            public boolean enforcesMinResponseDataRate() {
                return false;
            }
        };
    }
}
