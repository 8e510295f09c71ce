package dev.lanner.tls;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses a certificate by SNI host name (Kestrel's {@code Sni} endpoint section): an exact name
 * ({@code api.example.com}), a wildcard of one label ({@code *.example.com} matches
 * {@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}), or {@code *} for any
 * name and for clients that send none, tried in that order; then the fallback (the endpoint's own
 * certificate). Names compare case-insensitively.
 */
public final class SniCertificateSelector implements ServerCertificateSelector {

    private final Map<String, ServerCertificateSource> exact = new HashMap<>();
    /** Keyed by the domain after {@code *.}. */
    private final Map<String, ServerCertificateSource> wildcards = new HashMap<>();
    private final ServerCertificateSource any;
    private final ServerCertificateSource fallback;
    private final List<ServerCertificateSource> sources = new ArrayList<>();

    /**
     * @param byHostName certificates by host name pattern: {@code host}, {@code *.domain} or {@code *}
     * @param fallback   for names that match no pattern and clients without SNI, when there is no {@code *};
     *                   null: those handshakes fail
     * @throws IllegalArgumentException for any other pattern (a {@code *} elsewhere)
     */
    public SniCertificateSelector(Map<String, ServerCertificateSource> byHostName, ServerCertificateSource fallback) {
        ServerCertificateSource anyName = null;
        for (Map.Entry<String, ServerCertificateSource> entry : byHostName.entrySet()) {
            String pattern = entry.getKey().trim().toLowerCase(Locale.ROOT);
            if (pattern.equals("*")) {
                anyName = entry.getValue();
            } else if (pattern.startsWith("*.") && pattern.indexOf('*', 1) < 0 && pattern.length() > 2) {
                wildcards.put(pattern.substring(2), entry.getValue());
            } else if (pattern.indexOf('*') < 0 && !pattern.isEmpty()) {
                exact.put(pattern, entry.getValue());
            } else {
                throw new IllegalArgumentException("Unsupported SNI host name '" + entry.getKey()
                        + "': expected a host name, *.domain or *");
            }
        }
        this.any = anyName;
        this.fallback = fallback;
        sources.addAll(byHostName.values());
        if (fallback != null) {
            sources.add(fallback);
        }
    }

    /** Prepares the host names' certificates, in the order of the configuration, then the fallback. */
    @Override
    public void prepare() {
        for (ServerCertificateSource source : sources) {
            source.prepare();
        }
    }

    @Override
    public ServerCertificate select(String serverName) {
        ServerCertificateSource source = null;
        if (serverName != null) {
            String name = serverName.toLowerCase(Locale.ROOT);
            source = exact.get(name);
            int dot = name.indexOf('.');
            if (source == null && dot > 0) {
                source = wildcards.get(name.substring(dot + 1));
            }
        }
        if (source == null) {
            source = any;
        }
        if (source == null) {
            source = fallback;
        }
        return source == null ? null : source.current();
    }
}
