package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.HttpCharacters.hexValue;
import static dev.lanner.server.internal.http1.HttpCharacters.isFieldValueChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isQuotedTextChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isTokenChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isWhitespace;

/**
 * Incremental decoder of the chunked transfer coding (RFC 9112 §7.1): bytes in, payload slices
 * and trailer fields out, through a {@link ChunkedBodyHandler}. It copies nothing: payload is
 * reported as ranges of the input.
 *
 * <pre>
 * chunked-body = *chunk last-chunk trailer-section CRLF
 * chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 * chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 * </pre>
 *
 * <p>Input may be split anywhere, down to one byte per call: chunk lines and data terminators
 * are parsed byte by byte into the decoder's state, so those bytes are always consumed. Only an
 * incomplete trailer line is left unconsumed (trailers go through the same
 * {@link FieldSectionParser} as headers, which takes complete lines): the caller must offer the
 * unconsumed bytes again, followed by more input. After the end of the body nothing more is
 * consumed; what follows belongs to the next request on the connection.
 *
 * <p>Strictness, each the reason named in {@link RequestRejectionReason}:
 * <ul>
 *   <li>chunk-size is 1*HEXDIG with at most 16 digits and a value up to {@code Long.MAX_VALUE}
 *       ({@code CHUNK_SIZE_OVERFLOW}); no sign, no {@code 0x}, no whitespace before it
 *       ({@code BAD_CHUNK_SIZE}).</li>
 *   <li>Extensions follow the grammar above, quoted-string values included, and are otherwise
 *       ignored (RFC 9112 §7.1.1: a recipient MUST ignore unrecognized ones). Their bytes per
 *       line are bounded ({@link Http1Limits#maxChunkExtensionBytes()}), so extensions cannot
 *       carry unbounded data outside the body size limit.</li>
 *   <li>Lines end with CRLF: bare LF and bare CR are rejected, as in the header parser.</li>
 *   <li>chunk-data must be followed by exactly CRLF ({@code BAD_CHUNK_TERMINATOR}).</li>
 *   <li>The trailer section follows the header rules and the header size and count limits,
 *       reported as {@code TRAILERS_TOO_LARGE}.</li>
 * </ul>
 * The total payload size is not limited here; the connection layer compares
 * {@link #payloadBytes()} with the request's body limit. After a {@link BadRequestException} the
 * decoder is unusable until {@link #reset()}. One instance per connection, not thread-safe.
 */
public final class ChunkedBodyDecoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    // States. Chunk-line states first, in the order of the grammar.
    private static final int SIZE_START = 0;        // expecting the first hex digit
    private static final int SIZE = 1;              // in the hex digits
    private static final int BWS_BEFORE_SEMI = 2;   // whitespace after size or value: only ";" next
    private static final int EXT_NAME_START = 3;    // after ";": BWS then a token
    private static final int EXT_NAME = 4;
    private static final int BWS_AFTER_NAME = 5;    // whitespace after a name: "=" or ";" next
    private static final int EXT_VALUE_START = 6;   // after "=": BWS then token or quoted-string
    private static final int EXT_TOKEN_VALUE = 7;
    private static final int EXT_QUOTED = 8;
    private static final int EXT_QUOTED_PAIR = 9;   // after a backslash in a quoted-string
    private static final int EXT_QUOTED_END = 10;   // after the closing quote
    private static final int LINE_LF = 11;          // CR seen at the end of a chunk line
    private static final int DATA = 12;
    private static final int DATA_CR = 13;
    private static final int DATA_LF = 14;
    private static final int TRAILERS = 15;
    private static final int DONE = 16;

    private final int maxExtensionBytes;
    private final FieldSectionParser trailers;
    private final HeaderHandler trailerForwarder = this::forwardTrailer;

    private ChunkedBodyHandler handler;
    private int state;
    private long chunkSize;
    private int sizeDigits;
    private int extensionBytes;
    private boolean extensionSeen;
    private long remaining;
    private long payloadBytes;

    /** A decoder with {@link Http1Limits#defaults()}. */
    public ChunkedBodyDecoder() {
        this(Http1Limits.defaults());
    }

    /** A decoder enforcing {@code limits} on extensions and trailers. */
    public ChunkedBodyDecoder(Http1Limits limits) {
        this.maxExtensionBytes = limits.maxChunkExtensionBytes();
        this.trailers = new FieldSectionParser(limits.maxHeaderBytes(), limits.maxHeaderCount(),
                RequestRejectionReason.TRAILERS_TOO_LARGE, RequestRejectionReason.TRAILERS_TOO_LARGE);
        reset();
    }

    /** Prepares for a new body. */
    public void reset() {
        state = SIZE_START;
        startChunkLine();
        remaining = 0;
        payloadBytes = 0;
        trailers.reset();
    }

    /** Whether the whole body, trailer section included, has been decoded. */
    public boolean isComplete() {
        return state == DONE;
    }

    /** Payload bytes decoded so far in this body. */
    public long payloadBytes() {
        return payloadBytes;
    }

    /**
     * Decodes from {@code in[off, off + len)}.
     *
     * @return how many bytes were consumed: all of them, except an incomplete trailer line
     *         (offer it again with more input) or what follows the end of the body
     * @throws BadRequestException on malformed input
     */
    public int decode(byte[] in, int off, int len, ChunkedBodyHandler handler) {
        this.handler = handler;
        int pos = off;
        int end = off + len;
        while (pos < end) {
            switch (state) {
                case DATA -> {
                    int n = (int) Math.min(remaining, end - pos);
                    handler.onData(in, pos, n);
                    pos += n;
                    remaining -= n;
                    payloadBytes += n;
                    if (remaining == 0) {
                        state = DATA_CR;
                    }
                }
                case DATA_CR -> {
                    expectTerminator(in[pos++], CR);
                    state = DATA_LF;
                }
                case DATA_LF -> {
                    expectTerminator(in[pos++], LF);
                    state = SIZE_START;
                    startChunkLine();
                }
                case TRAILERS -> {
                    pos = trailers.parse(in, pos, end, trailerForwarder);
                    if (!trailers.isComplete()) {
                        return pos - off;
                    }
                    state = DONE;
                }
                case DONE -> {
                    return pos - off;
                }
                default -> chunkLineByte(in[pos++]);
            }
        }
        return pos - off;
    }

    private void forwardTrailer(byte[] buf, int nameStart, int nameEnd, int valueStart,
                                int valueEnd) {
        handler.onTrailer(buf, nameStart, nameEnd, valueStart, valueEnd);
    }

    private void startChunkLine() {
        chunkSize = 0;
        sizeDigits = 0;
        extensionBytes = 0;
        extensionSeen = false;
    }

    private static void expectTerminator(byte actual, byte expected) {
        if (actual != expected) {
            throw new BadRequestException(RequestRejectionReason.BAD_CHUNK_TERMINATOR,
                    "chunk data not followed by CRLF");
        }
    }

    private void chunkLineByte(byte b) {
        if (b == LF && state != LINE_LF) {
            throw new BadRequestException(RequestRejectionReason.BARE_LF, "in chunk line");
        }
        if (state >= BWS_BEFORE_SEMI && state <= EXT_QUOTED_END && b != CR) {
            countExtensionByte();
        }
        switch (state) {
            case SIZE_START -> {
                int v = hexValue(b);
                if (v < 0) {
                    throw badSize(b);
                }
                chunkSize = v;
                sizeDigits = 1;
                state = SIZE;
            }
            case SIZE -> {
                int v = hexValue(b);
                if (v >= 0) {
                    // RFC 9112 §7.1: "recipients MUST anticipate potentially large hexadecimal
                    // numerals and prevent parsing errors due to integer conversion overflows".
                    if (++sizeDigits > 16 || chunkSize > (Long.MAX_VALUE >> 4)) {
                        throw new BadRequestException(RequestRejectionReason.CHUNK_SIZE_OVERFLOW);
                    }
                    chunkSize = (chunkSize << 4) | v;
                } else if (b == CR) {
                    state = LINE_LF;
                } else if (b == ';') {
                    countExtensionByte();
                    extensionSeen = true;
                    state = EXT_NAME_START;
                } else if (isWhitespace(b)) {
                    countExtensionByte();
                    state = BWS_BEFORE_SEMI;
                } else {
                    throw badSize(b);
                }
            }
            case BWS_BEFORE_SEMI -> {
                if (b == ';') {
                    extensionSeen = true;
                    state = EXT_NAME_START;
                } else if (!isWhitespace(b)) {
                    throw extensionSeen ? badExtension(b) : badSize(b);
                }
            }
            case EXT_NAME_START -> {
                if (isTokenChar(b)) {
                    state = EXT_NAME;
                } else if (!isWhitespace(b)) {
                    throw badExtension(b);
                }
            }
            case EXT_NAME -> {
                if (b == '=') {
                    state = EXT_VALUE_START;
                } else if (b == ';') {
                    state = EXT_NAME_START;
                } else if (b == CR) {
                    state = LINE_LF;
                } else if (isWhitespace(b)) {
                    state = BWS_AFTER_NAME;
                } else if (!isTokenChar(b)) {
                    throw badExtension(b);
                }
            }
            case BWS_AFTER_NAME -> {
                if (b == '=') {
                    state = EXT_VALUE_START;
                } else if (b == ';') {
                    state = EXT_NAME_START;
                } else if (!isWhitespace(b)) {
                    throw badExtension(b);
                }
            }
            case EXT_VALUE_START -> {
                if (b == '"') {
                    state = EXT_QUOTED;
                } else if (isTokenChar(b)) {
                    state = EXT_TOKEN_VALUE;
                } else if (!isWhitespace(b)) {
                    throw badExtension(b);
                }
            }
            case EXT_TOKEN_VALUE -> {
                if (b == ';') {
                    state = EXT_NAME_START;
                } else if (b == CR) {
                    state = LINE_LF;
                } else if (isWhitespace(b)) {
                    state = BWS_BEFORE_SEMI;
                } else if (!isTokenChar(b)) {
                    throw badExtension(b);
                }
            }
            case EXT_QUOTED -> {
                if (b == '"') {
                    state = EXT_QUOTED_END;
                } else if (b == '\\') {
                    state = EXT_QUOTED_PAIR;
                } else if (!isQuotedTextChar(b)) {
                    throw badExtension(b);
                }
            }
            case EXT_QUOTED_PAIR -> {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ): a field-value byte.
                if (!isFieldValueChar(b)) {
                    throw badExtension(b);
                }
                state = EXT_QUOTED;
            }
            case EXT_QUOTED_END -> {
                if (b == ';') {
                    state = EXT_NAME_START;
                } else if (b == CR) {
                    state = LINE_LF;
                } else if (isWhitespace(b)) {
                    state = BWS_BEFORE_SEMI;
                } else {
                    throw badExtension(b);
                }
            }
            case LINE_LF -> {
                if (b != LF) {
                    throw new BadRequestException(RequestRejectionReason.BARE_CR, "in chunk line");
                }
                if (chunkSize == 0) {
                    // last-chunk: the trailer section follows (RFC 9112 §7.1.2).
                    trailers.reset();
                    state = TRAILERS;
                } else {
                    remaining = chunkSize;
                    state = DATA;
                }
            }
            default -> throw new IllegalStateException("state " + state);
        }
    }

    private void countExtensionByte() {
        if (++extensionBytes > maxExtensionBytes) {
            throw new BadRequestException(RequestRejectionReason.CHUNK_EXTENSIONS_TOO_LARGE,
                    "more than " + maxExtensionBytes + " bytes");
        }
    }

    private static BadRequestException badSize(byte b) {
        return new BadRequestException(RequestRejectionReason.BAD_CHUNK_SIZE,
                String.format("unexpected byte 0x%02X", b & 0xFF));
    }

    private static BadRequestException badExtension(byte b) {
        return new BadRequestException(RequestRejectionReason.BAD_CHUNK_EXTENSION,
                String.format("unexpected byte 0x%02X", b & 0xFF));
    }
}
