package dev.lanner.server.internal.http2;

import static dev.lanner.server.internal.http2.Http2FrameType.DATA;
import static dev.lanner.server.internal.http2.Http2FrameType.HEADERS;

import dev.lanner.server.Http2Limits;
import dev.lanner.server.diagnostics.RejectionReason;
import dev.lanner.server.internal.http2.hpack.HeaderSink;
import dev.lanner.server.internal.http2.hpack.HpackDecoder;
import dev.lanner.server.internal.http2.hpack.HpackException;
import dev.lanner.server.internal.infrastructure.ServerContext;
import dev.lanner.server.internal.infrastructure.ServerTrace;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on each frame the {@link Http2FrameReader} delivers, with the stream states of RFC 9113 §5.1:
 * opens streams from header blocks (validated by the {@link Http2RequestHeaderValidator}, refused beyond
 * the concurrency limit), feeds request bodies and trailers to their streams, applies SETTINGS, PING,
 * GOAWAY and WINDOW_UPDATE, spends the {@link Http2FloodBudgets}, and tells stream errors (RST_STREAM,
 * §5.4.2) from connection errors (a thrown {@link Http2ConnectionException}, §5.4.1). Runs on the
 * connection's reader thread only.
 */
final class Http2FrameHandler implements Http2FrameReader.Listener {

    private static final Logger log = LoggerFactory.getLogger(Http2FrameHandler.class);
    private static final HeaderSink DISCARD =
            (knownName, name, nameOffset, nameLength, knownValue, value, valueOffset, valueLength, neverIndexed) -> { };

    private final Http2Connection connection;
    private final ServerContext server;
    private final Http2Limits h2;
    private final Http2ConnectionWriter writer;
    private final Http2StreamRegistry streams;
    private final HpackDecoder decoder;
    private final String scheme;
    private final boolean nonBlocking;
    private final Http2RequestHeaderValidator requestHeaders = new Http2RequestHeaderValidator();
    private final Http2RequestHeaderValidator.Trailers trailers = new Http2RequestHeaderValidator.Trailers();
    private final Http2FloodBudgets budgets = new Http2FloodBudgets();

    Http2FrameHandler(Http2Connection connection, ServerContext server, Http2Limits h2, Http2ConnectionWriter writer,
                      Http2StreamRegistry streams, HpackDecoder decoder, String scheme) {
        this.connection = connection;
        this.server = server;
        this.h2 = h2;
        this.writer = writer;
        this.streams = streams;
        this.decoder = decoder;
        this.scheme = scheme;
        this.nonBlocking = connection.application().isNonBlocking();
    }

    // --- DATA (§6.1) ---

    @Override
    public void onData(int streamId, boolean endStream, byte[] buf, int offset, int length, int flowControlled)
            throws Http2ConnectionException {
        if (streams.isIdle(streamId)) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "DATA on idle stream " + streamId); // §5.1
        }
        // §6.9: the whole payload, padding included, counts against the windows.
        if (!connection.receiveOnConnectionWindow(flowControlled)) {
            throw new Http2ConnectionException(Http2ErrorCode.FLOW_CONTROL_ERROR, "DATA exceeds the connection window");
        }
        if (flowControlled == 0 && !endStream) {
            budgets.spendControlFrame(server.nowNanos(), "empty DATA frames");
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null || stream.isReset()) {
            connection.giveBackConnectionWindow(flowControlled);
            if (stream == null) {
                onInactiveStream(DATA, streamId);
            } else if (!stream.resetByServer()) {
                throw new Http2ConnectionException(Http2ErrorCode.STREAM_CLOSED, "DATA on stream " + streamId + " after its RST_STREAM");
            }
            return;
        }
        if (!stream.state().canReceive()) {
            connection.giveBackConnectionWindow(flowControlled);
            streamError(stream, Http2ErrorCode.STREAM_CLOSED); // §5.1 half-closed (remote)
            return;
        }
        if (!stream.inputWindow.receive(flowControlled)) {
            connection.giveBackConnectionWindow(flowControlled);
            streamError(stream, Http2ErrorCode.FLOW_CONTROL_ERROR);
            return;
        }
        long received = stream.body.received() + length;
        long declared = stream.declaredRequestLength;
        if (declared >= 0 && (received > declared || (endStream && received != declared))) {
            connection.giveBackConnectionWindow(flowControlled);
            streamError(stream, Http2ErrorCode.PROTOCOL_ERROR); // §8.1.1: content-length mismatch
            return;
        }
        stream.body.append(buf, offset, length);
        if (stream.exceedsBodyLimit()) {
            stream.body.markTooLarge();
        }
        if (flowControlled > length) {
            connection.onBodyConsumed(stream, flowControlled - length); // the padding is never read
        }
        if (endStream) {
            endOfRequest(stream);
        } else if (stream.awaitingDispatch() && stream.body.buffered() > Http2Connection.INLINE_BODY_LIMIT) {
            connection.dispatch(stream, false); // too much to collect for an inline run
        }
    }

    /** The client ended its side (END_STREAM on DATA or trailers): the body is complete, the application may run. */
    private void endOfRequest(Http2Stream stream) {
        Http2StreamState now = stream.endStreamReceived();
        stream.body.end();
        if (now == Http2StreamState.CLOSED) {
            connection.closeStream(stream);
        }
        if (stream.awaitingDispatch()) {
            connection.dispatch(stream, nonBlocking);
        }
    }

    // --- HEADERS (§6.2, §8.1) ---

    @Override
    public void onHeaders(int streamId, boolean endStream, byte[] block, int offset, int length, Http2ErrorCode streamError)
            throws Http2ConnectionException {
        Http2Stream existing = streams.get(streamId);
        if (existing != null) {
            onTrailers(existing, endStream, block, offset, length, streamError);
            return;
        }
        if (streamId <= streams.highestStreamId()) {
            decode(block, offset, length, DISCARD);
            onInactiveStream(HEADERS, streamId);
            return;
        }
        streams.claim(streamId);
        if (writer.phase() != Http2ConnectionWriter.Phase.OPEN && streamId > writer.goAwayLastStreamId()) {
            decode(block, offset, length, DISCARD); // §6.8: streams above the GOAWAY's last id are not processed
            return;
        }
        Http2Stream stream = new Http2Stream(connection, streamId, h2.initialStreamWindowSize(),
                writer.peerInitialWindowSize(), server.nowNanos());
        requestHeaders.start(stream.requestHeaders);
        decode(block, offset, length, requestHeaders);
        connection.streamOpened();
        if (streams.atConcurrencyLimit()) {
            // §5.1.2: beyond SETTINGS_MAX_CONCURRENT_STREAMS. Streams reset by the client whose application
            // still runs count too, which bounds rapid reset (CVE-2023-44487).
            budgets.spendReset(server.nowNanos(), "streams refused");
            server.trace().rejected(connection.connectionId(), RejectionReason.HTTP2_STREAM_LIMIT,
                    "stream " + streamId + " refused: " + h2.maxStreamsPerConnection() + " streams are open");
            connection.refuse(streamId, Http2ErrorCode.REFUSED_STREAM);
            return;
        }
        if (streamError != null) {
            server.trace().rejected(connection.connectionId(), RejectionReason.HTTP2_PROTOCOL_ERROR,
                    "stream " + streamId + " refused: " + streamError);
            connection.refuse(streamId, streamError);
            return;
        }
        if (decoder.headerListTooLarge()) {
            // §10.5.1: answer 431 and keep the connection (the HPACK state is intact).
            stream.method = requestHeaders.method() == null ? "GET" : requestHeaders.method();
            server.trace().rejected(connection.connectionId(), RejectionReason.REQUEST_HEADERS_TOO_LARGE,
                    "stream " + streamId + ": 431, the header list exceeds its limit");
            answerWithoutApplication(stream, 431, endStream);
            return;
        }
        String malformed = requestHeaders.finish(endStream);
        if (malformed != null) {
            server.trace().rejected(connection.connectionId(), RejectionReason.INVALID_REQUEST_HEADERS,
                    "malformed request on stream " + streamId + ": " + malformed);
            connection.refuse(streamId, Http2ErrorCode.PROTOCOL_ERROR); // §8.1.1
            return;
        }
        stream.method = requestHeaders.method();
        stream.scheme = requestHeaders.scheme() != null ? requestHeaders.scheme() : scheme;
        stream.authority = requestHeaders.authority();
        stream.rawTarget = requestHeaders.target();
        stream.path = requestHeaders.path();
        stream.queryString = requestHeaders.queryString();
        stream.declaredRequestLength = requestHeaders.declaredLength();
        Long max = stream.maxRequestBodySize();
        if (max != null && stream.declaredRequestLength > max) {
            server.trace().rejected(connection.connectionId(), RejectionReason.REQUEST_BODY_TOO_LARGE,
                    "stream " + streamId + ": 413, content-length " + stream.declaredRequestLength + " exceeds " + max);
            answerWithoutApplication(stream, 413, endStream);
            return;
        }
        stream.open(endStream);
        streams.add(stream);
        if (endStream) {
            stream.body.endWithoutBody();
            connection.dispatch(stream, nonBlocking);
        } else if (!nonBlocking) {
            connection.dispatch(stream, false);
        }
        // else: a non-blocking application runs once the request is complete, inline, or on a virtual
        // thread if more than INLINE_BODY_LIMIT octets arrive first (onData).
    }

    /** Answers a request the application never sees (431, 413), then stops its body if one is coming. */
    private void answerWithoutApplication(Http2Stream stream, int status, boolean endStream) {
        stream.dispatchOnce();
        stream.open(endStream);
        if (endStream) {
            stream.body.end();
        }
        streams.add(stream);
        stream.resetResponseForError(status);
        try {
            stream.completeResponse();
        } catch (IOException e) {
            // reset meanwhile: nothing more to send
        }
        stream.answeredByServer();
        if (!endStream) {
            connection.resetStream(stream, Http2ErrorCode.NO_ERROR);
        } else if (stream.state() == Http2StreamState.CLOSED) {
            connection.closeStream(stream);
        }
    }

    private void onTrailers(Http2Stream stream, boolean endStream, byte[] block, int offset, int length,
                            Http2ErrorCode streamError) throws Http2ConnectionException {
        trailers.start();
        decode(block, offset, length, trailers);
        if (stream.isReset()) {
            if (!stream.resetByServer()) {
                throw new Http2ConnectionException(Http2ErrorCode.STREAM_CLOSED, "HEADERS on stream " + stream.id + " after its RST_STREAM");
            }
            return;
        }
        if (!stream.state().canReceive()) {
            streamError(stream, Http2ErrorCode.STREAM_CLOSED); // §5.1 half-closed (remote)
            return;
        }
        if (!endStream || trailers.malformed() || streamError != null) {
            streamError(stream, streamError != null ? streamError : Http2ErrorCode.PROTOCOL_ERROR); // §8.1
            return;
        }
        if (stream.declaredRequestLength >= 0 && stream.body.received() != stream.declaredRequestLength) {
            streamError(stream, Http2ErrorCode.PROTOCOL_ERROR); // §8.1.1
            return;
        }
        endOfRequest(stream);
    }

    private void decode(byte[] block, int offset, int length, HeaderSink sink) throws Http2ConnectionException {
        try {
            decoder.decode(block, offset, length, sink);
        } catch (HpackException e) {
            // §4.3: a field block that cannot be decompressed is a COMPRESSION_ERROR.
            throw new Http2ConnectionException(Http2ErrorCode.COMPRESSION_ERROR, e.getMessage());
        }
    }

    // --- stream-level control frames ---

    @Override
    public void onPriority(int streamId, Http2ErrorCode streamError) throws Http2ConnectionException {
        budgets.spendControlFrame(server.nowNanos(), "PRIORITY frames");
        if (streamError != null) {
            Http2Stream stream = streams.get(streamId);
            if (stream != null) {
                streamError(stream, streamError);
            } else {
                connection.refuse(streamId, streamError);
            }
        }
        // Otherwise accepted and ignored: §5.3.2 deprecates the priority scheme.
    }

    @Override
    public void onRstStream(int streamId, long errorCode) throws Http2ConnectionException {
        if (streams.isIdle(streamId)) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "RST_STREAM on idle stream " + streamId); // §6.4
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null) {
            if (streams.classify(streamId) == Http2StreamRegistry.Inactive.CLOSED) {
                // A reset racing the response it cancels still costs what rapid reset costs: the request ran.
                // Inline, a short request is always done before its RST_STREAM arrives (CVE-2023-44487).
                budgets.spendReset(server.nowNanos(), "stream resets");
            }
            return;
        }
        if (stream.isReset()) {
            return;
        }
        budgets.spendReset(server.nowNanos(), "stream resets");
        ServerTrace.debug(log, connection.connectionId(), "Connection {}: client reset stream {} ({})", connection.connectionId(), streamId, Http2ErrorCode.nameOf(errorCode));
        connection.clientReset(stream);
    }

    @Override
    public void onWindowUpdate(int streamId, int increment) throws Http2ConnectionException {
        if (streamId == 0) {
            writer.connectionWindowUpdate(increment);
            return;
        }
        if (streams.isIdle(streamId)) {
            throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE on idle stream " + streamId);
        }
        Http2Stream stream = streams.get(streamId);
        if (stream == null || stream.isReset()) {
            return;
        }
        if (increment == 0) {
            streamError(stream, Http2ErrorCode.PROTOCOL_ERROR); // §6.9
        } else if (!writer.streamWindowUpdate(stream, increment)) {
            streamError(stream, Http2ErrorCode.FLOW_CONTROL_ERROR); // §6.9.1
        }
    }

    // --- connection control frames ---

    @Override
    public void onSettings(byte[] buf, int offset, int length) throws Http2ConnectionException {
        budgets.spendControlFrame(server.nowNanos(), "SETTINGS frames");
        writer.applySettings(buf, offset, length, streams.openStreams());
    }

    @Override
    public void onSettingsAck() {
        // Nothing waits on it: the server's settings apply from the start (§6.5.3 allows this).
    }

    @Override
    public void onPing(boolean ack, byte[] buf, int offset) throws Http2ConnectionException {
        if (ack) {
            connection.keepAlivePingAnswered();
            return;
        }
        budgets.spendControlFrame(server.nowNanos(), "PING frames");
        writer.pingAck(buf, offset);
    }

    @Override
    public void onGoAway(int lastStreamId, long errorCode) {
        ServerTrace.debug(log, connection.connectionId(), "Connection {}: client sent GOAWAY ({})", connection.connectionId(), Http2ErrorCode.nameOf(errorCode));
        connection.peerGoingAway();
    }

    // --- errors ---

    /** A frame for a stream that is no longer open: ignored if the server reset it, else STREAM_CLOSED or PROTOCOL_ERROR. */
    private void onInactiveStream(int type, int streamId) throws Http2ConnectionException {
        switch (streams.classify(streamId)) {
            case RESET_BY_SERVER -> {
                // §5.4.2: frames in flight after our RST_STREAM are ignored.
            }
            case CLOSED -> throw new Http2ConnectionException(Http2ErrorCode.STREAM_CLOSED,
                    Http2FrameType.name(type) + " on closed stream " + streamId); // §5.1 "closed"
            case NEVER_OPENED, IDLE -> throw new Http2ConnectionException(Http2ErrorCode.PROTOCOL_ERROR,
                    Http2FrameType.name(type) + " on stream " + streamId + ", which was never opened"); // §5.1.1
        }
    }

    /** A stream error (§5.4.2): RST_STREAM, and the connection goes on. */
    private void streamError(Http2Stream stream, Http2ErrorCode code) {
        server.trace().rejected(connection.connectionId(), RejectionReason.HTTP2_PROTOCOL_ERROR,
                "stream error " + code + " on stream " + stream.id);
        connection.resetStream(stream, code);
    }
}
