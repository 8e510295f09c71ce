package dev.lanner.server.internal.http1;

/**
 * The limits the HTTP/1.x engines enforce while parsing, with Kestrel's defaults. The server's
 * options map onto this record; this is the one place the parsers read a limit from. Immutable;
 * safe from any thread.
 *
 * @param maxRequestLineLength    largest request line in bytes, <em>including</em> its CRLF
 *                                (and any empty lines before it); default 8192 -> 414 beyond
 * @param maxHeaderBytes          largest header section in bytes: every field line including its
 *                                CRLF; the empty line that ends the section is not counted;
 *                                default 32768 -> 431 beyond. Also bounds a trailer section.
 * @param maxHeaderCount          most field lines in a header (or trailer) section; default 100
 *                                -> 431 beyond
 * @param maxChunkExtensionBytes  most chunk-extension bytes on one chunk-size line (from the
 *                                first byte after the size to the CR); default 4096 -> 400 beyond
 */
public record Http1Limits(int maxRequestLineLength, int maxHeaderBytes, int maxHeaderCount,
                          int maxChunkExtensionBytes) {

    /** Default largest request line, CRLF included: 8 KiB. */
    public static final int DEFAULT_MAX_REQUEST_LINE_LENGTH = 8 * 1024;
    /** Default largest header section: 32 KiB. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    /** Default most header fields: 100. */
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    /** Default most chunk-extension bytes per chunk line: 4 KiB. */
    public static final int DEFAULT_MAX_CHUNK_EXTENSION_BYTES = 4 * 1024;

    private static final Http1Limits DEFAULTS = new Http1Limits(DEFAULT_MAX_REQUEST_LINE_LENGTH,
            DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_CHUNK_EXTENSION_BYTES);

    /** Validates that every limit is usable. */
    public Http1Limits {
        // The shortest request line, "GET / HTTP/1.1\r\n"-like, needs 16 bytes; below that no
        // request could ever pass, which is a configuration mistake rather than a policy.
        if (maxRequestLineLength < 16) {
            throw new IllegalArgumentException("maxRequestLineLength < 16: " + maxRequestLineLength);
        }
        if (maxHeaderBytes < 0 || maxHeaderCount < 0 || maxChunkExtensionBytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
    }

    /** The defaults: 8192, 32768, 100, 4096. */
    public static Http1Limits defaults() {
        return DEFAULTS;
    }

    /** A copy with another request line limit. */
    public Http1Limits withMaxRequestLineLength(int value) {
        return new Http1Limits(value, maxHeaderBytes, maxHeaderCount, maxChunkExtensionBytes);
    }

    /** A copy with another header section size limit. */
    public Http1Limits withMaxHeaderBytes(int value) {
        return new Http1Limits(maxRequestLineLength, value, maxHeaderCount, maxChunkExtensionBytes);
    }

    /** A copy with another header count limit. */
    public Http1Limits withMaxHeaderCount(int value) {
        return new Http1Limits(maxRequestLineLength, maxHeaderBytes, value, maxChunkExtensionBytes);
    }

    /** A copy with another chunk extension limit. */
    public Http1Limits withMaxChunkExtensionBytes(int value) {
        return new Http1Limits(maxRequestLineLength, maxHeaderBytes, maxHeaderCount, value);
    }
}
