package dev.lanner.server.internal.http1;

import static dev.lanner.server.internal.http1.HttpCharacters.isDigit;
import static dev.lanner.server.internal.http1.HttpCharacters.isWhitespace;

/**
 * Parses a Content-Length field value (RFC 9110 §8.6: {@code Content-Length = 1*DIGIT}). Stateless;
 * safe from any thread.
 *
 * <p>Strict, because a lenient Content-Length is the classic request-smuggling vector: no sign
 * ({@code +5}, {@code -1}), no hex ({@code 0x10}), no inner spaces, no empty value, and a value
 * that does not fit a {@code long} is invalid rather than wrapped. The list form that some
 * intermediaries produce ({@code 5, 5}) is accepted when every member is the same, as RFC 9110
 * §8.6 allows; differing members are rejected (RFC 9112 §6.3 rule 5).
 */
public final class ContentLength {

    private ContentLength() {
    }

    /**
     * The length in {@code [start, end)}, surrounding whitespace ignored.
     *
     * @throws BadRequestException {@link RequestRejectionReason#INVALID_CONTENT_LENGTH} or
     *         {@link RequestRejectionReason#MULTIPLE_CONTENT_LENGTH}
     */
    public static long parse(byte[] buf, int start, int end) {
        long result = -1;
        int i = start;
        while (true) {
            while (i < end && isWhitespace(buf[i])) {
                i++;
            }
            int digitsStart = i;
            long value = 0;
            while (i < end && isDigit(buf[i])) {
                int d = buf[i] - '0';
                if (value > (Long.MAX_VALUE - d) / 10) {
                    throw invalid(buf, start, end);
                }
                value = value * 10 + d;
                i++;
            }
            if (i == digitsStart) {
                throw invalid(buf, start, end);
            }
            while (i < end && isWhitespace(buf[i])) {
                i++;
            }
            // A malformed member is invalid whatever the other members say ("6, 7 7" as "5 5").
            if (i < end && buf[i] != ',') {
                throw invalid(buf, start, end);
            }
            if (result >= 0 && result != value) {
                throw new BadRequestException(RequestRejectionReason.MULTIPLE_CONTENT_LENGTH,
                        AsciiStrings.excerpt(buf, start, end));
            }
            result = value;
            if (i == end) {
                return result;
            }
            i++;
        }
    }

    private static BadRequestException invalid(byte[] buf, int start, int end) {
        return new BadRequestException(RequestRejectionReason.INVALID_CONTENT_LENGTH,
                AsciiStrings.excerpt(buf, start, end));
    }
}
