/**
 * HTTP/1.1 protocol engines of the default server: pure state machines over byte arrays.
 *
 * <p>Layering. The transport reads bytes from a socket (or TLS) into a connection's buffer; the
 * HTTP/1.1 connection loop, in another package, hands byte ranges to the engines here and acts
 * on what they report. Nothing in this package does I/O, starts a thread, takes a lock, reads
 * the clock or logs: bytes in, callbacks and results out. That makes every protocol rule
 * testable and fuzzable with byte arrays, byte by byte if need be.
 *
 * <ul>
 *   <li>Request head: {@link dev.lanner.server.internal.http1.HttpRequestParser} (request line
 *       and header section, RFC 9112 §3 and §5) calls a
 *       {@link dev.lanner.server.internal.http1.RequestLineHandler} and a
 *       {@link dev.lanner.server.internal.http1.HeaderHandler} with byte ranges; it never
 *       allocates a String. {@link dev.lanner.server.internal.http1.KnownHeader} turns common
 *       names into interned Strings without allocating.</li>
 *   <li>Request semantics the connection checks after the head:
 *       {@link dev.lanner.server.internal.http1.HostHeader} (RFC 9112 §3.2),
 *       {@link dev.lanner.server.internal.http1.RequestBodyFraming} (RFC 9112 §6.3, from
 *       {@link dev.lanner.server.internal.http1.ContentLength} and Transfer-Encoding),
 *       {@link dev.lanner.server.internal.http1.ConnectionOptions} (RFC 9112 §9.3).</li>
 *   <li>Request body: {@link dev.lanner.server.internal.http1.ChunkedBodyDecoder} (RFC 9112
 *       §7.1); a Content-Length body needs no engine, only a byte count.</li>
 *   <li>Response: {@link dev.lanner.server.internal.http1.StatusLines},
 *       {@link dev.lanner.server.internal.http1.DateHeaderValue},
 *       {@link dev.lanner.server.internal.http1.ResponseHeaderWriter} and
 *       {@link dev.lanner.server.internal.http1.ChunkedBodyEncoder}.</li>
 * </ul>
 *
 * <p>Errors. Every rejection is a {@link dev.lanner.server.internal.http1.BadRequestException}
 * (no stack trace) naming a {@link dev.lanner.server.internal.http1.RequestRejectionReason},
 * which maps to the status code in one place; the connection answers with it and closes.
 * Limits come from {@link dev.lanner.server.internal.http1.Http1Limits}.
 *
 * <p>Buffers. Engines consume only what they can act on and return how far they got; the
 * caller keeps the rest and calls again with it at the front once more bytes arrived. Limits are
 * enforced on incomplete input, so the caller never buffers more than they allow.
 */
package dev.lanner.server.internal.http1;
