package dev.lanner.server.contract;

import dev.lanner.http.server.Server;
import dev.lanner.server.EndpointOptions;
import dev.lanner.server.HttpProtocols;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.e2e.http2.H2KitClient;
import dev.lanner.testkit.KitClient;
import dev.lanner.testkit.ServerContractTests;
import dev.lanner.testkit.ServerFixture;

/**
 * The server test kit against the default server over h2c with prior knowledge (RFC 9113 §3.3): an
 * HTTP/2-only endpoint and the conformance suite's client. Where HTTP/2 differs from HTTP/1.1 the
 * fixture says so: the protocol is {@code HTTP/2}, and the minimum response data rate cannot be set
 * per stream (the feature refuses it loudly). The endpoint is the server's own, so the kit's
 * PreferHostingUrls test (which talks HTTP/1.1 to its own addresses) is left to
 * {@link DefaultServerContractTest}.
 */
class Http2CleartextServerContractTest extends ServerContractTests {

    @Override
    protected ServerFixture fixture() {
        return new ServerFixture() {
            @Override
            public Server create() {
                return new LannerServer(LannerServerOptions.defaults()
                        .withEndpoint(EndpointOptions.of(listenUrl()).withProtocols(HttpProtocols.HTTP2)));
            }

            @Override
            public KitClient client(Server started) {
                return H2KitClient.connect(KitClient.firstAddress(started).getPort());
            }

            @Override
            public String requestProtocol() {
                return "HTTP/2";
            }

            @Override
            public boolean enforcesMinResponseDataRate() {
                return false;
            }
        };
    }
}
