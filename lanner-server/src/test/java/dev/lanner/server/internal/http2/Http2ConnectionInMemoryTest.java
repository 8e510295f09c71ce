package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2FrameType.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lanner.http.HttpContext;
import dev.lanner.http.RequestDelegate;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.LannerServerOptions;
import dev.lanner.server.internal.http2.WireFrame.Client;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HTTP/2 connection fed bytes in memory (no socket, no thread of its own): each test scripts what
 * the client sends, runs the connection with a non-blocking application on the test thread (the
 * inline path) until the script ends, and asserts the exact frames that came out.
 */
class Http2ConnectionInMemoryTest {

    private final Client client = new Client();
    private final InMemoryTransport transport = new InMemoryTransport();

    private List<WireFrame> serve(RequestDelegate app) throws Exception {
        ServerContext server = new ServerContext(LannerServerOptions.defaults());
        server.tick(1_000_000_000L);
        HttpApplication<HttpContext> application = new HttpApplication<>() {
            @Override public boolean isNonBlocking() { return true; }
            @Override public HttpContext createContext(FeatureCollection features) { return new HttpContext(features); }
            @Override public void processRequest(HttpContext context) throws Exception { app.invoke(context); }
            @Override public void disposeContext(HttpContext context, Throwable error) { }
        };
        new Http2Connection(server, new ConnectionContext("test", transport), application, new Heartbeat(server)).run();
        return WireFrame.parse(transport.written(), new HpackDecoder());
    }

    @Test
    void anIdleConnectionShrinksItsFrameBufferAtTheHeartbeatAndStillServes() throws Exception {
        ServerContext server = new ServerContext(LannerServerOptions.defaults());
        server.tick(1_000_000_000L);
        Http2Connection[] connection = new Http2Connection[1];
        int[] capacities = new int[3];
        transport.send(client.preface()).send(client.request(1, "GET", "/a", true))
                .then(() -> {
                    capacities[0] = connection[0].frameBufferCapacity();
                    connection[0].onHeartbeat(1_500_000_000L); // idle for 0.5 s: kept
                    capacities[1] = connection[0].frameBufferCapacity();
                    connection[0].onHeartbeat(2_500_000_000L); // idle for 1.5 s: shrunk
                    capacities[2] = connection[0].frameBufferCapacity();
                })
                .send(client.request(3, "GET", "/b", true));
        HttpApplication<HttpContext> application = new HttpApplication<>() {
            @Override public boolean isNonBlocking() { return true; }
            @Override public HttpContext createContext(FeatureCollection features) { return new HttpContext(features); }
            @Override public void processRequest(HttpContext context) throws Exception { hello().invoke(context); }
            @Override public void disposeContext(HttpContext context, Throwable error) { }
        };
        connection[0] = new Http2Connection(server, new ConnectionContext("test", transport), application,
                new Heartbeat(server));

        connection[0].run();

        assertThat(capacities).containsExactly(16 * 1024, 16 * 1024, Http2ConnectionWriter.IDLE_BUFFER);
        List<WireFrame> frames = WireFrame.parse(transport.written(), new HpackDecoder());
        assertThat(frames.stream().filter(f -> f.streamId() == 3 && f.type() == DATA).map(WireFrame::text))
                .containsExactly("hello /b");
    }

    private static RequestDelegate hello() {
        return ctx -> ctx.response().write("hello " + ctx.request().path());
    }

    @Test
    void answersThePrefaceWithSettingsAndAcknowledgesTheClients() throws Exception {
        transport.send(client.preface());
        List<WireFrame> frames = serve(hello());
        assertThat(frames.get(0).type()).isEqualTo(SETTINGS);
        assertThat(frames.get(0).hasFlag(FLAG_ACK)).isFalse();
        // SETTINGS_INITIAL_WINDOW_SIZE 768 KiB, then the connection window raised to 1 MiB (RFC 9113 §6.9.2).
        assertThat(frames.get(1).type()).isEqualTo(WINDOW_UPDATE);
        assertThat(frames.get(1).windowIncrement()).isEqualTo(1024 * 1024 - 65_535);
        assertThat(frames.get(2).type()).isEqualTo(SETTINGS);
        assertThat(frames.get(2).hasFlag(FLAG_ACK)).isTrue();
        assertThat(frames).hasSize(3);
    }

    @Test
    void refusesAPrefaceThatDoesNotEndWithSettings() throws Exception {
        transport.send(Client.concat(Http2FrameReader.PREFACE, client.ping(new byte[8])));
        List<WireFrame> frames = serve(hello());
        WireFrame last = frames.get(frames.size() - 1);
        assertThat(last.type()).isEqualTo(GOAWAY);
        assertThat(last.errorCode()).isEqualTo(Http2ErrorCode.PROTOCOL_ERROR.code());
    }

    @Test
    void answersAGetWithHeadersAndOneDataFrame() throws Exception {
        transport.send(client.preface()).send(client.request(1, "GET", "/a", true));
        List<WireFrame> frames = serve(hello());
        List<WireFrame> stream = frames.stream().filter(f -> f.streamId() == 1).toList();
        assertThat(stream).hasSize(2);
        assertThat(stream.get(0).type()).isEqualTo(HEADERS);
        assertThat(stream.get(0).hasFlag(FLAG_END_STREAM)).isFalse();
        assertThat(stream.get(0).fields()).containsEntry(":status", "200").containsEntry("content-length", "8");
        assertThat(stream.get(1).type()).isEqualTo(DATA);
        assertThat(stream.get(1).text()).isEqualTo("hello /a");
        assertThat(stream.get(1).hasFlag(FLAG_END_STREAM)).isTrue();
    }

    @Test
    void headCarriesTheContentLengthOfTheGetWithoutData() throws Exception {
        transport.send(client.preface()).send(client.request(1, "HEAD", "/a", true));
        List<WireFrame> stream = serve(hello()).stream().filter(f -> f.streamId() == 1).toList();
        assertThat(stream).hasSize(1);
        assertThat(stream.get(0).fields()).containsEntry(":status", "200").containsEntry("content-length", "8");
        assertThat(stream.get(0).hasFlag(FLAG_END_STREAM)).isTrue();
    }

    @Test
    void assemblesAHeaderBlockFromHeadersAndContinuation() throws Exception {
        byte[] block = client.request(1, "GET", "/continued", true, 10, "x-long", "v".repeat(40));
        transport.send(client.preface()).send(block);
        List<WireFrame> frames = serve(hello());
        WireFrame data = frames.stream().filter(f -> f.type() == DATA && f.streamId() == 1).findFirst().orElseThrow();
        assertThat(data.text()).isEqualTo("hello /continued");
    }

    @Test
    void dataBlockedByTheStreamWindowResumesOnWindowUpdate() throws Exception {
        transport.send(client.preface(Http2PeerSettings.INITIAL_WINDOW_SIZE, 5))
                .send(client.request(1, "GET", "/blocked", true))
                .send(client.windowUpdate(1, 100));
        List<WireFrame> data = serve(hello()).stream().filter(f -> f.type() == DATA).toList();
        assertThat(data).hasSize(2);
        assertThat(data.get(0).text()).isEqualTo("hello");
        assertThat(data.get(0).hasFlag(FLAG_END_STREAM)).isFalse();
        assertThat(data.get(1).text()).isEqualTo(" /blocked");
        assertThat(data.get(1).hasFlag(FLAG_END_STREAM)).isTrue();
    }

    @Test
    void rapidResetEndsTheConnectionWithEnhanceYourCalm() throws Exception {
        transport.send(client.preface());
        for (int i = 0; i <= Http2FloodBudgets.RESET_BURST; i++) {
            int id = 1 + 2 * i;
            transport.send(Client.concat(client.request(id, "GET", "/", false), client.rstStream(id, Http2ErrorCode.CANCEL)));
        }
        List<WireFrame> frames = serve(hello());
        WireFrame last = frames.get(frames.size() - 1);
        assertThat(last.type()).isEqualTo(GOAWAY);
        assertThat(last.errorCode()).isEqualTo(Http2ErrorCode.ENHANCE_YOUR_CALM.code());
        assertThat(transport.outputShut()).isTrue();
    }

    @Test
    void dataOnAClosedStreamIsAStreamClosedError() throws Exception {
        transport.send(client.preface())
                .send(client.request(1, "GET", "/", true))
                .send(client.data(1, "late", true));
        List<WireFrame> frames = serve(hello());
        WireFrame last = frames.get(frames.size() - 1);
        assertThat(last.type()).isEqualTo(GOAWAY);
        assertThat(last.errorCode()).isEqualTo(Http2ErrorCode.STREAM_CLOSED.code()); // RFC 9113 §5.1 "closed"
    }

    @Test
    void dataAfterEndStreamOnAnOpenStreamIsReset() throws Exception {
        // The client's windows are shut, so the response waits and the stream stays half-closed
        // (remote) when the extra DATA arrives.
        transport.send(client.preface(Http2PeerSettings.INITIAL_WINDOW_SIZE, 0))
                .send(Client.concat(client.request(1, "POST", "/", false), client.data(1, "a", true), client.data(1, "b", false)));
        List<WireFrame> frames = serve(hello());
        assertThat(frames.stream().filter(f -> f.type() == RST_STREAM && f.streamId() == 1).map(WireFrame::errorCode))
                .containsExactly(Http2ErrorCode.STREAM_CLOSED.code());
    }

    @Test
    void answersPingsAndKeepsServing() throws Exception {
        byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};
        transport.send(client.preface()).send(client.ping(payload)).send(client.request(1, "GET", "/", true));
        List<WireFrame> frames = serve(hello());
        WireFrame ack = frames.stream().filter(f -> f.type() == PING).findFirst().orElseThrow();
        assertThat(ack.hasFlag(FLAG_ACK)).isTrue();
        assertThat(ack.payload()).isEqualTo(payload);
        assertThat(frames.stream().filter(f -> f.type() == DATA).findFirst().orElseThrow().text()).isEqualTo("hello /");
    }

    @Test
    void remoteAddressSetByOneStreamDoesNotReachTheNext() throws Exception {
        transport.send(client.preface())
                .send(client.request(1, "GET", "/set", true))
                .send(client.request(3, "GET", "/get", true));
        List<WireFrame> data = serve(ctx -> {
            var connection = ctx.features().get(dev.lanner.http.features.HttpConnectionFeature.class);
            if (ctx.request().path().equals("/set")) {
                connection.setRemotePort(4711);
            }
            ctx.response().write(Integer.toString(connection.remotePort()));
        }).stream().filter(f -> f.type() == DATA).toList();
        assertThat(data.get(0).text()).isEqualTo("4711");
        assertThat(data.get(1).text()).isEqualTo("50000");
    }
}
