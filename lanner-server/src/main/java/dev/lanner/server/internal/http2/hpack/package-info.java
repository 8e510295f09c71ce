/**
 * HPACK header compression for HTTP/2 (RFC 7541): a pure codec with no I/O.
 *
 * <p>{@link dev.lanner.server.internal.http2.hpack.HpackDecoder} turns complete header blocks
 * into header fields delivered to a {@link dev.lanner.server.internal.http2.hpack.HeaderSink};
 * {@link dev.lanner.server.internal.http2.hpack.HpackEncoder} turns header fields into a header
 * block written to a {@link dev.lanner.server.internal.http2.hpack.HeaderBlockBuffer}. One
 * decoder and one encoder belong to each HTTP/2 connection, because each holds one direction's
 * dynamic table (RFC 7541 §2.3.2). Neither is thread-safe.
 */
package dev.lanner.server.internal.http2.hpack;
