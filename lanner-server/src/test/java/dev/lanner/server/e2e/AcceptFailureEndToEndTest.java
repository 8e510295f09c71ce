package dev.lanner.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.features.ServerAddressesFeature;
import dev.lanner.server.LannerServer;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.transport.EventLoopTransport;
import dev.lanner.server.transport.Transport;
import dev.lanner.server.transport.TransportConnection;
import dev.lanner.server.transport.TransportListener;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listener whose accepts fail for a while (out of files, out of heap) backs off and accepts again, as Netty's
 * does: before, the first failure stopped it for good, while the process kept running and refused nobody.
 */
@Timeout(30)
class AcceptFailureEndToEndTest {

    /** The default transport, whose listeners fail their first accepts: two EMFILEs, then an exhausted heap. */
    private static final class FailingFirstAccepts implements Transport {
        private final EventLoopTransport real = new EventLoopTransport(1, 128);
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public TransportListener bind(SocketAddress address) throws IOException {
            TransportListener listener = real.bind(address);
            return new TransportListener() {
                @Override
                public TransportConnection accept() throws IOException {
                    int failure = failures.incrementAndGet();
                    if (failure <= 2) {
                        throw new IOException("Too many open files");
                    }
                    if (failure == 3) {
                        throw new OutOfMemoryError("Java heap space (simulated)");
                    }
                    return listener.accept();
                }

                @Override
                public SocketAddress localAddress() {
                    return listener.localAddress();
                }

                @Override
                public void close() throws IOException {
                    listener.close();
                }
            };
        }
    }

    @Test
    void theListenerAcceptsAgainAfterFailedAccepts() throws Exception {
        FailingFirstAccepts transport = new FailingFirstAccepts();
        LannerServer server = new LannerServer(LannerServerOptions.defaults(), transport);
        server.features().get(ServerAddressesFeature.class).addresses().add("http://127.0.0.1:0");
        server.start(new PipelineApplication(ctx -> ctx.response().write("ok")));
        try {
            String address = server.features().get(ServerAddressesFeature.class).addresses().get(0);
            int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
            try (RawConnection connection = RawConnection.open("127.0.0.1", port)) {
                RawResponse response = connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n").readResponse();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("ok");
            }
            assertThat(transport.failures.get()).isGreaterThanOrEqualTo(4);
        } finally {
            server.stop(java.time.Duration.ZERO);
        }
    }
}
