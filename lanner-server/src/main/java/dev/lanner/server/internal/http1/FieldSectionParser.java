package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.HttpCharacters.isFieldValueChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isTokenChar;
import static dev.lanner.server.internal.http1.HttpCharacters.isWhitespace;

/**
 * Parses a field section, the header section of a request or the trailer section of a chunked
 * body (RFC 9112 §5, §7.1.2), one complete line at a time, and calls a {@link HeaderHandler}
 * with byte ranges. One piece of code serves headers and trailers so both follow the same rules.
 *
 * <p>Rules enforced, each with its own {@link RequestRejectionReason}:
 * <ul>
 *   <li>CRLF ends a line; a bare LF is rejected (see {@link HttpRequestParser} for why) and so is
 *       a CR anywhere else (RFC 9112 §2.2).</li>
 *   <li>The field name is a non-empty token followed directly by ":" (RFC 9112 §5.1: whitespace
 *       before the colon MUST be rejected with 400).</li>
 *   <li>A line starting with SP or HTAB is obs-fold (RFC 9112 §5.2: MUST reject with 400); before
 *       the first field it is whitespace after the start line (§2.2: reject or ignore; we
 *       reject).</li>
 *   <li>The value holds only VCHAR, obs-text, SP and HTAB (RFC 9110 §5.5); leading and trailing
 *       whitespace is not part of it.</li>
 *   <li>The section is bounded in bytes and in lines, checked also while a line is incomplete so
 *       that a peer can never make the caller buffer more than the limit.</li>
 * </ul>
 *
 * <p>Contract for incremental input: {@link #parse} consumes only complete lines and returns the
 * index just past them. The caller keeps the unconsumed bytes and calls again, starting with
 * them, once more input arrived; {@link #isComplete()} turns true when the empty line that ends
 * the section has been consumed. Not thread-safe; one instance per connection, {@link #reset()}
 * before each section.
 */
public final class FieldSectionParser {

    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final int maxBytes;
    private final int maxCount;
    private final RequestRejectionReason tooLarge;
    private final RequestRejectionReason tooMany;

    private int remainingBytes;
    private int count;
    private boolean complete;

    /**
     * @param maxBytes most bytes of field lines, each counted with its CRLF; the final empty
     *                 line is not counted
     * @param maxCount most field lines
     * @param tooLarge the reason thrown beyond {@code maxBytes}
     * @param tooMany  the reason thrown beyond {@code maxCount}
     */
    public FieldSectionParser(int maxBytes, int maxCount, RequestRejectionReason tooLarge,
                              RequestRejectionReason tooMany) {
        this.maxBytes = maxBytes;
        this.maxCount = maxCount;
        this.tooLarge = tooLarge;
        this.tooMany = tooMany;
        reset();
    }

    /** Prepares for a new section. */
    public void reset() {
        remainingBytes = maxBytes;
        count = 0;
        complete = false;
    }

    /** Whether the empty line ending the section has been consumed. */
    public boolean isComplete() {
        return complete;
    }

    /** Field lines reported so far in this section. */
    public int fieldCount() {
        return count;
    }

    /** Bytes of field lines consumed so far in this section, CRLFs included. */
    public int sectionBytes() {
        return maxBytes - remainingBytes;
    }

    /**
     * Parses as many complete lines of {@code [start, end)} as there are, stopping after the
     * empty line that ends the section.
     *
     * @return the index just past the last consumed line ({@code start} if none was complete)
     * @throws BadRequestException on any violation; the section cannot be continued after it
     */
    public int parse(byte[] buf, int start, int end, HeaderHandler handler) {
        int pos = start;
        while (!complete && pos < end) {
            byte first = buf[pos];
            if (isWhitespace(first)) {
                // Detectable from the first byte: no need to wait for the line to complete.
                throw count == 0
                        ? new BadRequestException(RequestRejectionReason.INVALID_HEADER_LINE,
                                "whitespace before the first field line")
                        : new BadRequestException(RequestRejectionReason.OBS_FOLD);
            }
            // The line must end within the remaining budget; the empty line that ends the
            // section is always allowed, hence at least 2 bytes of window.
            int window = Math.max(remainingBytes, 2);
            int limit = end - pos > window ? pos + window : end;
            int lf = AsciiStrings.indexOf(buf, pos, limit, LF);
            if (lf < 0) {
                if (end - pos >= window) {
                    throw new BadRequestException(tooLarge, "no line end within the limit");
                }
                return pos;
            }
            if (lf == pos || buf[lf - 1] != CR) {
                throw new BadRequestException(RequestRejectionReason.BARE_LF);
            }
            int cr = lf - 1;
            if (cr == pos) {
                complete = true;
                return lf + 1;
            }
            int lineLength = lf + 1 - pos;
            if (lineLength > remainingBytes) {
                throw new BadRequestException(tooLarge);
            }
            if (count >= maxCount) {
                throw new BadRequestException(tooMany, "more than " + maxCount);
            }
            parseLine(buf, pos, cr, handler);
            remainingBytes -= lineLength;
            count++;
            pos = lf + 1;
        }
        return pos;
    }

    private static void parseLine(byte[] buf, int lineStart, int cr, HeaderHandler handler) {
        int i = lineStart;
        while (i < cr && isTokenChar(buf[i])) {
            i++;
        }
        if (i == cr) {
            throw new BadRequestException(RequestRejectionReason.INVALID_HEADER_LINE,
                    "no colon: " + AsciiStrings.excerpt(buf, lineStart, cr));
        }
        byte c = buf[i];
        if (c != ':') {
            if (c == CR) {
                throw new BadRequestException(RequestRejectionReason.BARE_CR);
            }
            if (isWhitespace(c)) {
                // RFC 9112 §5.1: "No whitespace is allowed between the field name and colon."
                throw AsciiStrings.indexOf(buf, i, cr, (byte) ':') >= 0
                        ? new BadRequestException(RequestRejectionReason.WHITESPACE_BEFORE_COLON,
                                AsciiStrings.excerpt(buf, lineStart, i))
                        : new BadRequestException(RequestRejectionReason.INVALID_HEADER_LINE,
                                "no colon: " + AsciiStrings.excerpt(buf, lineStart, cr));
            }
            throw new BadRequestException(RequestRejectionReason.INVALID_HEADER_NAME,
                    AsciiStrings.excerpt(buf, lineStart, i + 1));
        }
        if (i == lineStart) {
            throw new BadRequestException(RequestRejectionReason.INVALID_HEADER_NAME, "empty");
        }
        int nameEnd = i;
        int valueStart = i + 1;
        for (int j = valueStart; j < cr; j++) {
            byte b = buf[j];
            if (!isFieldValueChar(b)) {
                // RFC 9110 §5.5: CR, LF and NUL MUST be rejected or replaced; other CTLs are
                // invalid too and we reject them all rather than guess what a later hop does.
                throw new BadRequestException(b == CR ? RequestRejectionReason.BARE_CR
                        : RequestRejectionReason.INVALID_CHARACTER,
                        String.format("0x%02X", b & 0xFF));
            }
        }
        int valueEnd = cr;
        while (valueStart < valueEnd && isWhitespace(buf[valueStart])) {
            valueStart++;
        }
        while (valueEnd > valueStart && isWhitespace(buf[valueEnd - 1])) {
            valueEnd--;
        }
        handler.onHeader(buf, lineStart, nameEnd, valueStart, valueEnd);
    }
}
