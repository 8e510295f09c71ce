package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2FrameType.HEADER_LENGTH;

import dev.lanner.http.RequestAbortedException;
import dev.lanner.http.features.FeatureCollection;
import dev.lanner.http.features.MinDataRate;
import dev.lanner.http.features.TlsConnectionFeature;
import dev.lanner.http.server.HttpApplication;
import dev.lanner.http.server.core.DataRateMeter;
import dev.lanner.http.server.core.RequestConnectionFeature;
import dev.lanner.server.ConnectionContext;
import dev.lanner.server.Http2Limits;
import dev.lanner.server.ServerLimits;
import dev.lanner.server.diagnostics.RejectionReason;
import dev.lanner.server.internal.http2.flow.InputFlowWindow;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.infrastructure.Heartbeat;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import dev.lanner.server.internal.infrastructure.TimedConnection;
import dev.lanner.server.transport.TransportConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/2 connection (RFC 9113) in the straight-line style: this connection's thread reads the
 * client's octets, the {@link Http2FrameReader} cuts them into frames and the {@link Http2FrameHandler}
 * acts on each; each stream's application runs either right there (a non-blocking application, once
 * its request is complete: the inline path) or on a virtual thread of its own. Everything sent goes
 * through the {@link Http2ConnectionWriter}. This class ties them together: the read loop, the stream
 * lifecycle (dispatch, reset, close), the receive windows, and the heartbeat's timeouts and rates.
 * The read loop runs on the connection's thread; {@link #onHeartbeat} on the heartbeat; the stream
 * methods on whichever thread ends or resets a stream.
 */
public final class Http2Connection implements TimedConnection {

    /** After this long without a stream the connection gives up most of its frame buffer. */
    private static final long IDLE_TRIM_NANOS = 1_000_000_000L;
    private static final Logger log = LoggerFactory.getLogger(Http2Connection.class);

    /** Request bodies up to this size are collected before a non-blocking application runs inline. */
    static final int INLINE_BODY_LIMIT = 64 * 1024;
    /** How long unread input is drained after a GOAWAY, so that closing does not send a TCP reset. */
    private static final long LINGER_MILLIS = 1000;

    private final ServerContext server;
    private final ServerLimits limits;
    private final Http2Limits h2;
    private final ConnectionContext connection;
    private final TransportConnection transport;
    private final HttpApplication<Object> application;
    private final Heartbeat heartbeat;
    private final String connectionId;
    private final InetAddress remoteAddress;
    private final int remotePort;
    private final InetAddress localAddress;
    private final int localPort;
    private final Http2ConnectionWriter writer;
    private final Http2StreamRegistry streams;
    private final Http2FrameReader reader;
    private final InputFlowWindow connectionInput;
    private final Http2KeepAlivePings pings;
    private byte[] in;
    private int inStart;
    private int inEnd;
    private volatile boolean peerGoingAway;
    private volatile long idleSinceNanos;
    private volatile long headerBlockStartNanos;
    private long lastHeartbeatNanos;

    @SuppressWarnings("unchecked")
    public Http2Connection(ServerContext server, ConnectionContext connection, HttpApplication<?> application,
                           Heartbeat heartbeat) {
        this.server = server;
        this.limits = server.options().limits();
        this.h2 = server.options().http2();
        this.connection = connection;
        this.transport = connection.transport();
        this.application = (HttpApplication<Object>) application;
        this.heartbeat = heartbeat;
        this.connectionId = connection.id();
        InetSocketAddress local = connection.localAddress() instanceof InetSocketAddress a ? a : null;
        InetSocketAddress remote = connection.remoteAddress() instanceof InetSocketAddress a ? a : null;
        this.localAddress = local == null ? null : local.getAddress();
        this.localPort = local == null ? 0 : local.getPort();
        this.remoteAddress = remote == null ? null : remote.getAddress();
        this.remotePort = remote == null ? 0 : remote.getPort();
        this.in = new byte[Math.max(16 * 1024, h2.maxFrameSize()) + HEADER_LENGTH];
        int maxList = limits.maxRequestHeadersTotalSize();
        HpackDecoder decoder = new HpackDecoder(maxList, Math.max(maxList, h2.maxRequestHeaderFieldSize()));
        decoder.setMaxTableSize(h2.headerTableSize());
        this.writer = new Http2ConnectionWriter(server, transport, this);
        this.streams = new Http2StreamRegistry(h2.maxStreamsPerConnection(), server.trace().observer());
        String scheme = connection.features().get(TlsConnectionFeature.class) != null ? "https" : "http";
        Http2FrameHandler handler = new Http2FrameHandler(this, server, h2, writer, streams, decoder, scheme);
        this.reader = new Http2FrameReader(handler, h2.maxFrameSize(), Math.max(64 * 1024, 2 * maxList));
        this.connectionInput = new InputFlowWindow(h2.initialConnectionWindowSize());
        this.idleSinceNanos = server.nowNanos();
        this.pings = new Http2KeepAlivePings(h2.keepAlivePingDelay(), h2.keepAlivePingTimeout(), idleSinceNanos);
    }

    // --- what streams and the frame handler use ---

    HttpApplication<Object> application() {
        return application;
    }

    ServerLimits limits() {
        return limits;
    }

    FeatureCollection connectionFeatures() {
        return connection.features();
    }

    boolean allowSynchronousIO() {
        return server.options().allowSynchronousIO();
    }

    String connectionId() {
        return connectionId;
    }

    ServerTrace trace() {
        return server.trace();
    }

    Http2ConnectionWriter writer() {
        return writer;
    }

    /** A stream's own connection feature: the connection's addresses, which the application may replace for that request. */
    RequestConnectionFeature newConnectionFeature() {
        return new RequestConnectionFeature(connectionId, remoteAddress, remotePort, localAddress, localPort);
    }

    // --- the read loop ---

    /** Serves the connection until it ends. Never throws. */
    public void run() {
        writer.setReaderThread(Thread.currentThread());
        heartbeat.register(this);
        try {
            if (!readPreface()) {
                return;
            }
            sendServerPreface();
            while (true) {
                inStart = reader.read(in, inStart, inEnd);
                trackHeaderBlock();
                if (inStart == inEnd) {
                    inStart = 0;
                    inEnd = 0;
                } else if (inStart > 0 && in.length - inEnd < HEADER_LENGTH + h2.maxFrameSize()) {
                    System.arraycopy(in, inStart, in, 0, inEnd - inStart);
                    inEnd -= inStart;
                    inStart = 0;
                }
                writer.flush();
                if (shouldClose() || !fill()) {
                    return;
                }
            }
        } catch (Http2ConnectionException e) {
            server.trace().rejected(connectionId, e.reason(), "GOAWAY " + e.errorCode() + ": " + e.getMessage());
            writer.goAwayAndClose(e.errorCode(), e.getMessage(), streams.highestStreamId());
            lingerInput();
        } catch (IOException | RequestAbortedException e) {
            ServerTrace.debug(log, connectionId, "Connection {} ended: {}", connectionId, e.toString());
        } catch (RuntimeException e) {
            log.warn("Connection {} failed", connectionId, e);
            writer.goAwayAndClose(Http2ErrorCode.INTERNAL_ERROR, "internal error", streams.highestStreamId());
        } finally {
            closeAll();
            heartbeat.unregister(this);
        }
    }

    private boolean fill() throws IOException {
        int n = transport.read(ByteBuffer.wrap(in, inEnd, in.length - inEnd));
        if (n < 0) {
            return false;
        }
        inEnd += n;
        pings.onRead(server.nowNanos());
        return true;
    }

    private boolean readPreface() throws IOException, Http2ConnectionException {
        while (inEnd < Http2FrameReader.PREFACE.length) {
            if (!fill()) {
                return false;
            }
            if (!Http2FrameReader.matchesPreface(in, inEnd)) {
                throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "invalid connection preface"); // §3.4
            }
        }
        inStart = Http2FrameReader.PREFACE.length;
        return true;
    }

    private void sendServerPreface() throws IOException {
        int[] settings = new int[12];
        int n = 0;
        if (h2.headerTableSize() != 4096) {
            settings[n++] = Http2PeerSettings.HEADER_TABLE_SIZE;
            settings[n++] = h2.headerTableSize();
        }
        settings[n++] = Http2PeerSettings.MAX_CONCURRENT_STREAMS;
        settings[n++] = h2.maxStreamsPerConnection();
        settings[n++] = Http2PeerSettings.INITIAL_WINDOW_SIZE;
        settings[n++] = h2.initialStreamWindowSize();
        if (h2.maxFrameSize() != 16_384) {
            settings[n++] = Http2PeerSettings.MAX_FRAME_SIZE;
            settings[n++] = h2.maxFrameSize();
        }
        settings[n++] = Http2PeerSettings.MAX_HEADER_LIST_SIZE;
        settings[n++] = limits.maxRequestHeadersTotalSize();
        writer.sendPreface(Arrays.copyOf(settings, n), h2.initialConnectionWindowSize() - Http2PeerSettings.DEFAULT_WINDOW);
    }

    /** Starts the request headers clock when a header block spans batches of input (the heartbeat's timeout). */
    private void trackHeaderBlock() {
        if (reader.headerBlockStreamId() != 0) {
            if (headerBlockStartNanos == 0) {
                headerBlockStartNanos = server.nowNanos();
            }
        } else if (headerBlockStartNanos != 0) {
            headerBlockStartNanos = 0;
        }
    }

    private boolean shouldClose() {
        return writer.isClosed() || ((writer.phase() != Http2ConnectionWriter.Phase.OPEN || peerGoingAway)
                && streams.isEmpty() && reader.headerBlockStreamId() == 0);
    }

    /**
     * After GOAWAY and FIN, reads and drops what the client still sends for a moment: closing with
     * unread input would send a TCP reset, which can destroy the GOAWAY before it is read.
     */
    private void lingerInput() {
        Thread timer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(LINGER_MILLIS); // a timer, not a test: nothing to wait on but time
            } catch (InterruptedException e) {
                return;
            }
            shutdownInputQuietly();
        });
        try {
            long total = 0;
            while (total < 1 << 20) {
                int n = transport.read(ByteBuffer.wrap(in));
                if (n < 0) {
                    break;
                }
                total += n;
            }
        } catch (IOException ignored) {
            // the client is gone
        } finally {
            timer.interrupt();
        }
    }

    // --- streams ---

    /** A request opened a stream: the connection is no longer idle. */
    void streamOpened() {
        if (idleSinceNanos != 0) {
            idleSinceNanos = 0;
        }
    }

    /** The client acknowledged the keep-alive PING. */
    void keepAlivePingAnswered() {
        pings.onPingAck();
    }

    /** The client sent GOAWAY: no new streams will come; the connection ends when the open ones are done. */
    void peerGoingAway() {
        peerGoingAway = true;
    }

    /** Hands a stream to the application once: inline on this thread, or on a virtual thread of its own. */
    void dispatch(Http2Stream stream, boolean inline) {
        if (!stream.dispatchOnce()) {
            return;
        }
        if (inline) {
            stream.runApplication();
        } else {
            Thread.ofVirtual().name("lanner-h2 " + connectionId + "/" + stream.id).start(stream::runApplication);
        }
    }

    /** RST_STREAM for a stream the server never admitted (refused, malformed): its late frames are ignored. */
    void refuse(int streamId, Http2ErrorCode code) {
        writer.rstStream(streamId, code);
        streams.resetByServer(streamId);
    }

    /** The server resets {@code stream} (a stream error, the application's reset or abort); any thread. */
    void resetStream(Http2Stream stream, Http2ErrorCode code) {
        if (writer.reset(stream, true)) {
            afterReset(stream, code);
            writer.flushIfNotReader();
        }
    }

    /** The client reset {@code stream} (reader thread). */
    void clientReset(Http2Stream stream) {
        if (writer.reset(stream, false)) {
            afterReset(stream, null);
        }
    }

    /** {@code code}: the RST_STREAM to send (a server reset), or null (the client's). */
    private void afterReset(Http2Stream stream, Http2ErrorCode code) {
        // The application hears of the reset before the client can: only then does RST_STREAM go out.
        stream.body.wake();
        stream.fireAbort();
        if (code != null) {
            writer.rstStream(stream.id, code);
        }
        // What the client sent and nobody will read goes back to the connection window.
        int unread = stream.body.buffered();
        if (unread > 0) {
            giveBackConnectionWindow(unread);
        }
        closeStream(stream);
    }

    /**
     * The writer queued END_STREAM for {@code stream}, which is now in state {@code now}: closed both
     * ways, or, when the application is done but the client still sends, stopped (RFC 9113 §8.1).
     */
    void onEndStreamQueued(Http2Stream stream, Http2StreamState now) {
        if (now == Http2StreamState.CLOSED) {
            closeStream(stream);
        } else if (stream.applicationReturned()) {
            resetStream(stream, Http2ErrorCode.NO_ERROR);
        }
    }

    /**
     * The stream is over on the wire (END_STREAM both ways, or a reset): it leaves the open set and frees
     * its concurrency slot at once (RFC 9113 §5.1.2), except that a reset stream whose application still
     * runs keeps counting until it returns, which bounds rapid reset (CVE-2023-44487).
     */
    void closeStream(Http2Stream stream) {
        if (!streams.remove(stream)) {
            return;
        }
        if (stream.countIfRunningAfterReset()) {
            streams.countRunningAfterReset();
        }
        if (stream.resetByServer()) {
            streams.resetByServer(stream.id);
        }
        if (streams.isEmpty()) {
            idleSinceNanos = server.nowNanos();
            if ((writer.phase() != Http2ConnectionWriter.Phase.OPEN || peerGoingAway) && !writer.onReaderThread()) {
                // Draining after GOAWAY: the last stream is done, so the connection ends.
                writer.flushQuietly();
                shutdownInputQuietly();
            }
        }
    }

    /** A stream's application returned after its stream was reset: its slot is free. */
    void applicationReturnedAfterReset() {
        streams.applicationReturnedAfterReset();
    }

    // --- receive windows (RFC 9113 §6.9) ---

    /** Counts received DATA against the connection window; false when it exceeds it (FLOW_CONTROL_ERROR). */
    boolean receiveOnConnectionWindow(int n) {
        return connectionInput.receive(n);
    }

    /** The application read {@code n} octets of a stream's body: both windows may reopen. */
    void onBodyConsumed(Http2Stream stream, int n) {
        int streamIncrement = stream.state().canReceive() ? stream.inputWindow.consume(n) : 0;
        int connectionIncrement = connectionInput.consume(n);
        if (streamIncrement != 0 || connectionIncrement != 0) {
            writer.windowUpdates(connectionIncrement, stream.id, streamIncrement);
        }
    }

    /** Octets nobody will read (a reset or closed stream's) go back to the connection window. */
    void giveBackConnectionWindow(int n) {
        int increment = connectionInput.consume(n);
        if (increment > 0) {
            writer.windowUpdates(increment, 0, 0);
        }
    }

    // --- ending ---

    private void closeAll() {
        writer.markClosed();
        for (Http2Stream stream : streams.openStreams()) {
            writer.reset(stream, false);
            stream.body.wake();
            stream.fireAbort();
        }
        streams.removeAll();
        try {
            transport.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void shutdownInputQuietly() {
        try {
            transport.shutdownInput();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void abortWith(Http2ErrorCode code, RejectionReason rejection, String reason) {
        server.trace().rejected(connectionId, rejection, "GOAWAY " + code + ": " + reason);
        writer.tryGoAwayAndClose(code, reason, streams.highestStreamId());
        abortTransport();
    }

    private void abortTransport() {
        writer.markClosedNow();
        try {
            transport.close();
        } catch (IOException ignored) {
            // aborting
        }
    }

    // --- TimedConnection (the heartbeat) ---

    /** The capacity of the connection's outgoing frame buffer; for tests. */
    int frameBufferCapacity() {
        return writer.bufferCapacity();
    }

    @Override
    public void onHeartbeat(long now) {
        long delta = lastHeartbeatNanos == 0 ? 0 : now - lastHeartbeatNanos;
        lastHeartbeatNanos = now;
        if (writer.isClosed()) {
            return;
        }
        long headerStart = headerBlockStartNanos;
        if (reader.headerBlockStreamId() != 0 && headerStart != 0 && now - headerStart > limits.requestHeadersTimeout().toNanos()) {
            abortWith(Http2ErrorCode.ENHANCE_YOUR_CALM, RejectionReason.REQUEST_HEADERS_TIMEOUT, "request headers timeout");
            return;
        }
        long idleSince = idleSinceNanos;
        if (streams.isEmpty() && idleSince != 0 && now - idleSince > limits.keepAliveTimeout().toNanos()) {
            writer.goAwayAndClose(Http2ErrorCode.NO_ERROR, "keep-alive timeout", streams.highestStreamId());
            shutdownInputQuietly();
            return;
        }
        if (streams.isEmpty() && idleSince != 0 && now - idleSince > IDLE_TRIM_NANOS) {
            writer.trimWhileIdle();
        }
        switch (pings.onHeartbeat(now)) {
            case TIMED_OUT -> {
                abortWith(Http2ErrorCode.INTERNAL_ERROR, RejectionReason.HTTP2_KEEP_ALIVE_PING_TIMEOUT, "keep-alive ping not answered");
                return;
            }
            case SEND_PING -> {
                if (writer.tryKeepAlivePing()) {
                    pings.pingSent(now);
                }
            }
            case NONE -> { }
        }
        checkRequestBodyRates(now, delta);
        MinDataRate rate = limits.minResponseDataRate();
        if (rate != null) {
            long stalled = writer.stalledSinceNanos();
            if (stalled != 0 && now - stalled > rate.gracePeriod().toNanos() && !writer.tryBlockedIsEmpty()) {
                // Zero-window stall: the client keeps its windows shut and our responses sit queued.
                abortWith(Http2ErrorCode.ENHANCE_YOUR_CALM, RejectionReason.MIN_RESPONSE_DATA_RATE,
                        "response data rate below the minimum (flow control windows closed)");
                return;
            }
            long writeStart = writer.writeStartedNanos();
            if (writeStart != 0 && DataRateMeter.isBelow(rate, writer.bytesInWrite(), now - writeStart)) {
                server.trace().rejected(connectionId, RejectionReason.MIN_RESPONSE_DATA_RATE, "client not reading; aborting");
                abortTransport();
            }
        }
    }

    /**
     * Advances each body's rate clock; a body collected for an inline run that arrives too slowly goes to
     * the application on a virtual thread, where its read fails with 408.
     */
    private void checkRequestBodyRates(long now, long delta) {
        for (Http2Stream stream : streams.openStreams()) {
            MinDataRate rate = stream.minRequestBodyDataRate();
            if (rate == null || stream.isReset() || stream.state().remoteEnded()) {
                continue;
            }
            if (stream.awaitingDispatch()) {
                if (application.isNonBlocking() && stream.body.collectedBelowRate(rate, now - stream.openedNanos)) {
                    dispatch(stream, false);
                }
            } else {
                stream.body.tick(delta, rate);
            }
        }
    }

    @Override
    public boolean closeIfIdle() {
        writer.gracefulGoAway(streams.highestStreamId());
        if (streams.isEmpty()) {
            shutdownInputQuietly();
            return true;
        }
        return false;
    }

    @Override
    public void abort(String reason) {
        abortTransport();
    }
}
