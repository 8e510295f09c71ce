package dev.lanner.server.internal.http1;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records what {@link HttpRequestParser} reports, and drives it the way a connection does:
 * keeping unconsumed bytes and offering them again with the next piece of input.
 */
final class RequestHeadRecorder implements RequestLineHandler, HeaderHandler {

    KnownMethod method;
    String methodName;
    String methodNameInstance;
    RequestTargetForm form;
    String rawTarget;
    String authority;
    String path;
    String query;
    boolean pathHasPercent;
    HttpVersion version;
    int requestLines;
    final List<String> headers = new ArrayList<>();

    @Override
    public void onRequestLine(RequestLine line) {
        requestLines++;
        byte[] b = line.buffer();
        method = line.method();
        methodName = line.methodName();
        methodNameInstance = line.methodName();
        form = line.targetForm();
        rawTarget = line.rawTarget();
        authority = TestBytes.text(b, line.authorityStart(), line.authorityEnd());
        path = TestBytes.text(b, line.pathStart(), line.pathEnd());
        query = line.hasQuery() ? TestBytes.text(b, line.queryStart(), line.queryEnd()) : null;
        pathHasPercent = line.pathHasPercent();
        version = line.version();
    }

    @Override
    public void onHeader(byte[] buf, int nameStart, int nameEnd, int valueStart, int valueEnd) {
        headers.add(TestBytes.text(buf, nameStart, nameEnd) + "=[" + TestBytes.text(buf, valueStart,
                valueEnd) + "]");
    }

    /** A summary of everything reported, for comparing runs. */
    String summary() {
        return method + " " + methodName + " " + form + " raw=" + rawTarget + " authority="
                + authority + " path=" + path + " query=" + query + " pct=" + pathHasPercent + " "
                + version + " " + headers;
    }

    /** The outcome of feeding a whole input in pieces. */
    record Outcome(String summary, int consumed, String rejection) {
    }

    /**
     * Feeds {@code input} in pieces of the given sizes; each call sees a fresh array holding only
     * the bytes not yet consumed, so a parser reading beyond its range would fail.
     */
    static Outcome feed(byte[] input, List<Integer> pieceSizes, Http1Limits limits) {
        HttpRequestParser parser = new HttpRequestParser(limits);
        RequestHeadRecorder recorder = new RequestHeadRecorder();
        byte[] pending = new byte[0];
        int consumedTotal = 0;
        int offset = 0;
        boolean lineDone = false;
        try {
            for (int size : pieceSizes) {
                byte[] next = Arrays.copyOf(pending, pending.length + size);
                System.arraycopy(input, offset, next, pending.length, size);
                offset += size;
                int start = 0;
                if (!lineDone) {
                    int r = parser.parseRequestLine(next, 0, next.length, recorder);
                    if (r >= 0) {
                        lineDone = true;
                        start = r;
                    }
                }
                if (lineDone) {
                    start = parser.parseHeaders(next, start, next.length, recorder);
                }
                consumedTotal += start;
                pending = Arrays.copyOfRange(next, start, next.length);
                if (parser.isHeaderSectionComplete()) {
                    break;
                }
            }
        } catch (BadRequestException e) {
            // How far a failed run got depends on the split; only what was reported counts.
            return new Outcome(recorder.summary(), -1, e.reason().name());
        }
        String state = parser.isHeaderSectionComplete() ? "" : " INCOMPLETE";
        return new Outcome(recorder.summary() + state, consumedTotal, null);
    }
}
