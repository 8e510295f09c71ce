package dev.lanner.hosting.testing.contract;

import dev.lanner.hosting.testing.TestClient;
import dev.lanner.hosting.testing.TestRequest;
import dev.lanner.hosting.testing.TestResponse;
import dev.lanner.hosting.testing.TestServer;
import dev.lanner.http.server.Server;
import dev.lanner.testkit.KitClient;
import dev.lanner.testkit.KitResponse;
import dev.lanner.testkit.ServerContractTests;
import dev.lanner.testkit.ServerFixture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The server test kit against the in-memory TestServer, through its TestClient. */
class TestServerContractTest extends ServerContractTests {

    @Override
    protected ServerFixture fixture() {
        return new ServerFixture() {
            @Override
            public Server create() {
                return new TestServer();
            }

            @Override
            public KitClient client(Server started) {
                TestClient testClient = ((TestServer) started).client();
                return request -> {
                    TestRequest sent = TestRequest.of(request.method(), request.target()).body(request.body());
                    request.headers().forEach(field -> sent.header(field.getKey(), field.getValue()));
                    if (request.unknownLength()) {
                        sent.header("Transfer-Encoding", "chunked");
                    }
                    TestResponse response = testClient.send(sent);
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    response.headers().forEach((name, value) ->
                            headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).add(value));
                    return new KitResponse(response.statusCode(), headers, response.body());
                };
            }

            @Override
            public boolean surfacesApplicationExceptions() {
                return true;
            }

            @Override
            public boolean hasIpTransport() {
                return false;
            }

            /** Nothing to time in memory: TestServer offers no minimum response data rate. */
            @Override
            public boolean enforcesMinResponseDataRate() {
                return false;
            }
        };
    }
}
