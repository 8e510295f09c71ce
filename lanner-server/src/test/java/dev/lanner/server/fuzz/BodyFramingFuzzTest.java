package dev.lanner.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanner.server.internal.http1.BadRequestException;
import dev.lanner.server.internal.http1.HttpRequestParser;
import dev.lanner.server.internal.http1.HttpVersion;
import dev.lanner.server.internal.http1.KnownMethod;
import dev.lanner.server.internal.http1.RequestBodyFraming;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target {@code body-framing}: the request body framing decision ({@link RequestBodyFraming},
 * RFC 9112 §6.3). Input: a request head; the parser reads it and its Content-Length and
 * Transfer-Encoding lines go to the framing, as the connection does.
 *
 * <p>Invariants: only {@link BadRequestException} escapes; and the decision (no body, a length and
 * which, chunked, or the rejection reason) equals that of a plain reading of the RFC written here
 * with strings ({@link #expected}), which shares no code with the server. In particular no
 * request with both fields, with chunked not last, or with differing lengths gets a body.
 */
class BodyFramingFuzzTest {

    @FuzzTest
    void framingDecision(byte[] input) {
        HttpRequestParser parser = new HttpRequestParser();
        List<String[]> fields = new ArrayList<>();
        KnownMethod[] method = new KnownMethod[1];
        HttpVersion[] version = new HttpVersion[1];
        try {
            int end = parser.parseRequestLine(input, 0, input.length, line -> {
                method[0] = line.method();
                version[0] = line.version();
            });
            if (end < 0) {
                return;
            }
            parser.parseHeaders(input, end, input.length, (buf, nameStart, nameEnd, valueStart, valueEnd) ->
                    fields.add(new String[] {latin1(buf, nameStart, nameEnd), latin1(buf, valueStart, valueEnd)}));
        } catch (BadRequestException e) {
            return; // not a head the connection would pass on to the framing
        }
        if (!parser.isHeaderSectionComplete()) {
            return;
        }

        RequestBodyFraming framing = new RequestBodyFraming();
        String actual;
        try {
            for (String[] field : fields) {
                byte[] value = field[1].getBytes(StandardCharsets.ISO_8859_1);
                if (field[0].equalsIgnoreCase("Content-Length")) {
                    framing.addContentLength(value, 0, value.length);
                } else if (field[0].equalsIgnoreCase("Transfer-Encoding")) {
                    framing.addTransferEncoding(value, 0, value.length);
                }
            }
            RequestBodyFraming.Kind kind = framing.decide(method[0], version[0]);
            actual = kind == RequestBodyFraming.Kind.CONTENT_LENGTH ? "CONTENT_LENGTH " + framing.contentLength()
                    : kind.name();
        } catch (BadRequestException e) {
            actual = e.reason().name();
        }
        assertThat(actual).as("framing of %s", fields.stream().map(f -> f[0] + ": " + f[1]).toList())
                .isEqualTo(expected(method[0], version[0], fields));
    }

    /** RFC 9112 §6.3 and the server's documented choices, read literally. */
    static String expected(KnownMethod method, HttpVersion version, List<String[]> fields) {
        BigInteger length = null;
        boolean transferEncoding = false;
        List<String> codings = new ArrayList<>();
        for (String[] field : fields) {
            if (field[0].equalsIgnoreCase("Content-Length")) {
                // RFC 9110 §8.6: 1*DIGIT; a list of equal values is accepted. A line is read whole
                // before it is compared with earlier lines.
                BigInteger line = null;
                for (String member : field[1].split(",", -1)) {
                    String digits = trimOws(member);
                    if (!digits.matches("[0-9]+") || new BigInteger(digits).bitLength() > 63) {
                        return "INVALID_CONTENT_LENGTH";
                    }
                    BigInteger value = new BigInteger(digits);
                    if (line != null && !line.equals(value)) {
                        return "MULTIPLE_CONTENT_LENGTH";
                    }
                    line = value;
                }
                if (length != null && !length.equals(line)) {
                    return "MULTIPLE_CONTENT_LENGTH";
                }
                length = line;
            } else if (field[0].equalsIgnoreCase("Transfer-Encoding")) {
                transferEncoding = true;
                // RFC 9110 §5.6.1: #transfer-coding, empty members ignored; a coding is a token with
                // optional parameters after ";".
                for (String member : field[1].split(",", -1)) {
                    String coding = trimOws(member);
                    if (coding.isEmpty()) {
                        continue;
                    }
                    int tokenEnd = 0;
                    while (tokenEnd < coding.length() && isTchar(coding.charAt(tokenEnd))) {
                        tokenEnd++;
                    }
                    String name = coding.substring(0, tokenEnd);
                    String rest = trimOws(coding.substring(tokenEnd));
                    boolean parameters = rest.startsWith(";");
                    if (name.isEmpty() || (!rest.isEmpty() && !parameters)
                            || (parameters && name.equalsIgnoreCase("chunked"))) {
                        return "INVALID_TRANSFER_ENCODING";
                    }
                    codings.add(name.toLowerCase(java.util.Locale.ROOT));
                }
            }
        }
        if (transferEncoding) {
            if (version == HttpVersion.HTTP_1_0) {
                return "TRANSFER_ENCODING_IN_HTTP_1_0";
            }
            if (length != null) {
                return "CONTENT_LENGTH_WITH_TRANSFER_ENCODING";
            }
            if (codings.stream().filter("chunked"::equals).count() > 1) {
                return "INVALID_TRANSFER_ENCODING";
            }
            if (codings.isEmpty() || !codings.get(codings.size() - 1).equals("chunked")) {
                return "CHUNKED_NOT_FINAL_ENCODING";
            }
            if (codings.size() > 1) {
                return "UNSUPPORTED_TRANSFER_ENCODING";
            }
            return method == KnownMethod.CONNECT ? "CONTENT_NOT_ALLOWED" : "CHUNKED";
        }
        if (length != null) {
            if (method == KnownMethod.CONNECT && length.signum() > 0) {
                return "CONTENT_NOT_ALLOWED";
            }
            return "CONTENT_LENGTH " + length;
        }
        return "NONE";
    }

    private static boolean isTchar(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    private static String trimOws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String latin1(byte[] buf, int start, int end) {
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
