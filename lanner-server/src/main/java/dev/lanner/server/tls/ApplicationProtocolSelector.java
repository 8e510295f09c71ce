package dev.lanner.server.tls;

import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;

/**
 * ALPN (RFC 7301): picks the first of the server's protocols, in the server's order of preference,
 * that the client offers. With no overlap the handshake fails with no_application_protocol
 * (RFC 7301 §3.2). The engine asks only when the client sent ALPN; a client that sends none
 * (wrk, {@code openssl s_client}) gets no ALPN and speaks HTTP/1.1. Immutable, one per HTTPS
 * endpoint: the engine calls it during a handshake, on the connection's virtual thread.
 */
final class ApplicationProtocolSelector implements BiFunction<SSLEngine, List<String>, String> {

    private final List<String> serverProtocols;

    ApplicationProtocolSelector(List<String> serverProtocols) {
        this.serverProtocols = List.copyOf(serverProtocols);
    }

    /** @return the protocol, or null to fail the handshake */
    @Override
    public String apply(SSLEngine engine, List<String> clientProtocols) {
        for (String protocol : serverProtocols) {
            if (clientProtocols.contains(protocol)) {
                return protocol;
            }
        }
        return null;
    }
}
