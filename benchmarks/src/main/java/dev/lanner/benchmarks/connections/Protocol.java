package dev.lanner.benchmarks.connections;

/** What an idle connection speaks. */
enum Protocol {
    /** HTTP/1.1 keep-alive over TCP. */
    HTTP1("http1"),
    /** HTTP/2 over cleartext TCP with prior knowledge (RFC 9113 §3.3). */
    H2C("h2c"),
    /** HTTP/1.1 over TLS (ALPN http/1.1). */
    TLS("tls");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    static Protocol of(String label) {
        for (Protocol p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("protocol must be http1, h2c or tls, not " + label);
    }
}
