package dev.lanner.server.internal.http1;

/**
 * A parsed request line, as byte ranges into the caller's buffer (RFC 9112 §3). The parser owns
 * one instance per connection and refills it for every request, so nothing is allocated unless a
 * String accessor is called. Valid only during {@link RequestLineHandler#onRequestLine}. Not
 * thread-safe: used by the thread that parses the head, the one serving the connection at the time.
 *
 * <p>Ranges are absolute indexes into {@link #buffer()}, end exclusive. Absent parts have
 * {@code start == end}; {@link #hasQuery()} tells an absent query from an empty one ({@code /a?}).
 */
public final class RequestLine {

    private byte[] buffer;
    private KnownMethod method;
    private int methodStart;
    private int methodEnd;
    private RequestTargetForm targetForm;
    private int targetStart;
    private int targetEnd;
    private int authorityStart;
    private int authorityEnd;
    private int pathStart;
    private int pathEnd;
    private boolean pathHasPercent;
    private int queryStart;
    private int queryEnd;
    private boolean hasQuery;
    private HttpVersion version;

    RequestLine() {
    }

    void set(byte[] buffer, KnownMethod method, int methodStart, int methodEnd, int targetStart,
             int targetEnd, HttpVersion version) {
        this.buffer = buffer;
        this.method = method;
        this.methodStart = methodStart;
        this.methodEnd = methodEnd;
        this.targetStart = targetStart;
        this.targetEnd = targetEnd;
        this.version = version;
    }

    void setTarget(RequestTargetForm form, int authorityStart, int authorityEnd, int pathStart,
                   int pathEnd, boolean pathHasPercent, int queryStart, int queryEnd,
                   boolean hasQuery) {
        this.targetForm = form;
        this.authorityStart = authorityStart;
        this.authorityEnd = authorityEnd;
        this.pathStart = pathStart;
        this.pathEnd = pathEnd;
        this.pathHasPercent = pathHasPercent;
        this.queryStart = queryStart;
        this.queryEnd = queryEnd;
        this.hasQuery = hasQuery;
    }

    /** The buffer all ranges point into. */
    public byte[] buffer() {
        return buffer;
    }

    /** The method, or {@link KnownMethod#OTHER} for a method read from the byte range. */
    public KnownMethod method() {
        return method;
    }

    public int methodStart() {
        return methodStart;
    }

    public int methodEnd() {
        return methodEnd;
    }

    /** The method name: the interned constant for a known method, else a new String. */
    public String methodName() {
        return method == KnownMethod.OTHER
                ? AsciiStrings.latin1(buffer, methodStart, methodEnd) : method.text();
    }

    /** Which of the four request-target forms was sent. */
    public RequestTargetForm targetForm() {
        return targetForm;
    }

    /** Start of the whole request-target as received (the raw target). */
    public int targetStart() {
        return targetStart;
    }

    public int targetEnd() {
        return targetEnd;
    }

    /** The raw request-target as a String (allocates). */
    public String rawTarget() {
        return AsciiStrings.latin1(buffer, targetStart, targetEnd);
    }

    /**
     * Start of the authority ({@code host[:port]}) for absolute-form and authority-form;
     * equal to {@link #authorityEnd()} for the other forms.
     */
    public int authorityStart() {
        return authorityStart;
    }

    public int authorityEnd() {
        return authorityEnd;
    }

    /**
     * Start of the path. For origin-form it begins with "/"; for absolute-form it is the
     * path-abempty and may be empty (the server then uses "/", RFC 9112 §3.2.2 by way of
     * RFC 3986 §6.2.3); empty for authority-form and asterisk-form.
     */
    public int pathStart() {
        return pathStart;
    }

    public int pathEnd() {
        return pathEnd;
    }

    /** Whether the path contains "%" and so needs percent-decoding; false lets a server skip it. */
    public boolean pathHasPercent() {
        return pathHasPercent;
    }

    /** Whether a "?" was present; the query range then holds what follows it (maybe nothing). */
    public boolean hasQuery() {
        return hasQuery;
    }

    /** Start of the query, just after "?". */
    public int queryStart() {
        return queryStart;
    }

    public int queryEnd() {
        return queryEnd;
    }

    /** The protocol version. */
    public HttpVersion version() {
        return version;
    }

    @Override
    public String toString() {
        return buffer == null ? "RequestLine[]"
                : methodName() + ' ' + rawTarget() + ' ' + version.text();
    }
}
