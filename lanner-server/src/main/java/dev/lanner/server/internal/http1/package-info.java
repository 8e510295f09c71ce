/**
 * HTTP/1.1 (and 1.0) in the default server, in two layers.
 *
 * <p>Engines: pure state machines over byte arrays. Nothing in them does I/O, starts a thread,
 * takes a lock, reads the clock or logs: bytes in, callbacks and results out, so every protocol
 * rule is testable and fuzzable with byte arrays, byte by byte if need be.
 * <ul>
 *   <li>Request head: {@link dev.lanner.server.internal.http1.HttpRequestParser} (request line
 *       and header section, RFC 9112 §3 and §5) calls a
 *       {@link dev.lanner.server.internal.http1.RequestLineHandler} and a
 *       {@link dev.lanner.server.internal.http1.HeaderHandler} with byte ranges; it never
 *       allocates a String. {@link dev.lanner.server.internal.http1.KnownHeader} turns common
 *       names into interned Strings without allocating.</li>
 *   <li>Request semantics checked after the head:
 *       {@link dev.lanner.server.internal.http1.HostHeader} (RFC 9112 §3.2),
 *       {@link dev.lanner.server.internal.http1.RequestBodyFraming} (RFC 9112 §6.3, from
 *       {@link dev.lanner.server.internal.http1.ContentLength} and Transfer-Encoding),
 *       {@link dev.lanner.server.internal.http1.ConnectionOptions} (RFC 9112 §9.3).</li>
 *   <li>Request body: {@link dev.lanner.server.internal.http1.ChunkedBodyDecoder} (RFC 9112
 *       §7.1); a Content-Length body needs no engine, only a byte count.</li>
 *   <li>Response bytes: {@link dev.lanner.server.internal.http1.StatusLines},
 *       {@link dev.lanner.server.internal.http1.DateHeaderValue},
 *       {@link dev.lanner.server.internal.http1.ResponseHeaderWriter} and
 *       {@link dev.lanner.server.internal.http1.ChunkedBodyEncoder}. How a response is framed
 *       is decided by the request core's {@code ResponseFraming}, shared with every server.</li>
 * </ul>
 *
 * <p>Connection: the objects that drive the engines over a transport, each with one job and a
 * Javadoc naming the thread that runs it.
 * <ul>
 *   <li>{@link dev.lanner.server.internal.http1.Http1Connection}: the per-connection request
 *       loop, requests run through the core's {@code RequestLifecycle}.</li>
 *   <li>{@link dev.lanner.server.internal.http1.Http1InlineDriver}: on an event loop, serves
 *       inline what cannot block and hands the rest to the connection's virtual thread.</li>
 *   <li>{@link dev.lanner.server.internal.http1.Http1Input} with the
 *       {@link dev.lanner.server.internal.http1.DisconnectWatcher}: the input buffer.</li>
 *   <li>{@link dev.lanner.server.internal.http1.Http1Request} and
 *       {@link dev.lanner.server.internal.http1.Http1Response}: the request features (one
 *       {@code FeatureTable}); the bodies {@link dev.lanner.server.internal.http1.ContentLengthMessageBody},
 *       {@link dev.lanner.server.internal.http1.ChunkedMessageBody} and the
 *       {@link dev.lanner.server.internal.http1.ExpectContinueGate}.</li>
 *   <li>{@link dev.lanner.server.internal.http1.Http1OutputProducer}: head, body framing,
 *       trailers, flush and backpressure; {@link dev.lanner.server.internal.http1.Http1Upgrade}:
 *       101 and the upgraded stream; {@link dev.lanner.server.internal.http1.Http1Timeouts}: what
 *       the heartbeat checks.</li>
 * </ul>
 *
 * <p>Errors. Every rejection of a head is a {@link dev.lanner.server.internal.http1.BadRequestException}
 * (no stack trace) naming a {@link dev.lanner.server.internal.http1.RequestRejectionReason},
 * which maps to the status code in one place; the connection answers with it and closes.
 * Limits come from {@link dev.lanner.server.internal.http1.Http1Limits}.
 *
 * <p>Buffers. Engines consume only what they can act on and return how far they got; the
 * caller keeps the rest and calls again with it at the front once more bytes arrived. Limits are
 * enforced on incomplete input, so the caller never buffers more than they allow. Served inline,
 * a connection reads into and writes from its event loop's buffers (two heap slots of the
 * transport's {@link dev.lanner.server.transport.LoopBufferLease}, 64 KiB each, the same lease TLS
 * uses for its records), and keeps only what a call left in buffers of its own: an idle
 * connection holds none.
 */
package dev.lanner.server.internal.http1;
