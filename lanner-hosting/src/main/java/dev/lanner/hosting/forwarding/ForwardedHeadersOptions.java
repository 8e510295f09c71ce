package dev.lanner.hosting.forwarding;

import dev.lanner.hosting.config.Configuration;
import dev.lanner.hosting.config.ConfigurationException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the forwarded-headers middleware applies and whom it believes.
 *
 * @param headers       the headers applied ({@code ForwardedHeaders:Headers}: {@code None}, {@code All} or a
 *                      comma list of {@link ForwardedHeader#configName()}s; default none)
 * @param knownProxies  peers trusted to forward ({@code ForwardedHeaders:KnownProxies}; default {@code ::1})
 * @param knownNetworks networks trusted to forward ({@code ForwardedHeaders:KnownNetworks}; default {@code 127.0.0.0/8});
 *                      configuring either key replaces both loopback defaults
 * @param forwardLimit  how many hops are unwound from the right at most ({@code ForwardedHeaders:ForwardLimit}; default 1)
 */
public record ForwardedHeadersOptions(Set<ForwardedHeader> headers, List<InetAddress> knownProxies,
                                      List<IpNetwork> knownNetworks, int forwardLimit) {

    /** The configuration section these options are bound from. */
    public static final String SECTION = "ForwardedHeaders";

    public ForwardedHeadersOptions {
        headers = headers.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(ForwardedHeader.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(headers));
        knownProxies = List.copyOf(knownProxies);
        knownNetworks = List.copyOf(knownNetworks);
        if (forwardLimit < 1) {
            throw new IllegalArgumentException("forwardLimit must be at least 1: " + forwardLimit);
        }
    }

    /** No headers; loopback ({@code 127.0.0.0/8}, {@code ::1}) trusted; one hop. */
    public static ForwardedHeadersOptions defaults() {
        return new ForwardedHeadersOptions(EnumSet.noneOf(ForwardedHeader.class),
                List.of(IpNetwork.parseAddress("::1")),
                List.of(IpNetwork.IPV4_LOOPBACK), 1);
    }

    public ForwardedHeadersOptions withHeaders(ForwardedHeader... headers) {
        return new ForwardedHeadersOptions(Set.of(headers), knownProxies, knownNetworks, forwardLimit);
    }

    /** Replaces the known proxies (an empty list trusts no single address). */
    public ForwardedHeadersOptions withKnownProxies(InetAddress... proxies) {
        return new ForwardedHeadersOptions(headers, List.of(proxies), knownNetworks, forwardLimit);
    }

    /** Replaces the known networks (an empty list trusts no network). */
    public ForwardedHeadersOptions withKnownNetworks(IpNetwork... networks) {
        return new ForwardedHeadersOptions(headers, knownProxies, List.of(networks), forwardLimit);
    }

    public ForwardedHeadersOptions withForwardLimit(int forwardLimit) {
        return new ForwardedHeadersOptions(headers, knownProxies, knownNetworks, forwardLimit);
    }

    /** Whether {@code peer} may forward: it is a known proxy or inside a known network. */
    public boolean trusts(InetAddress peer) {
        if (peer == null) {
            return false;
        }
        if (knownProxies.contains(peer)) {
            return true;
        }
        for (IpNetwork network : knownNetworks) {
            if (network.contains(peer)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Binds the {@code ForwardedHeaders} section over {@link #defaults()}.
     *
     * @throws ConfigurationException naming the key and what was expected, for a bad value
     */
    public static ForwardedHeadersOptions bind(Configuration configuration) {
        Configuration section = configuration.section(SECTION);
        ForwardedHeadersOptions options = defaults();
        String headers = section.get("Headers");
        if (headers != null) {
            options = new ForwardedHeadersOptions(parseHeaders(headers, section), options.knownProxies,
                    options.knownNetworks, options.forwardLimit);
        }
        String proxies = section.get("KnownProxies");
        String networks = section.get("KnownNetworks");
        if (proxies != null || networks != null) {
            // Naming the trusted peers replaces the loopback default: what is not listed is not trusted.
            options = new ForwardedHeadersOptions(options.headers, List.of(), List.of(), options.forwardLimit);
        }
        if (proxies != null) {
            List<InetAddress> list = new ArrayList<>();
            for (String item : items(proxies)) {
                InetAddress address = IpNetwork.parseAddress(item);
                if (address == null) {
                    throw invalid(section, "KnownProxies", proxies, "a comma-separated list of IP addresses");
                }
                list.add(address);
            }
            options = new ForwardedHeadersOptions(options.headers, list, options.knownNetworks, options.forwardLimit);
        }
        if (networks != null) {
            List<IpNetwork> list = new ArrayList<>();
            for (String item : items(networks)) {
                try {
                    list.add(IpNetwork.parse(item));
                } catch (IllegalArgumentException e) {
                    throw invalid(section, "KnownNetworks", networks, "a comma-separated list of CIDR networks such as 10.0.0.0/8");
                }
            }
            options = new ForwardedHeadersOptions(options.headers, options.knownProxies, list, options.forwardLimit);
        }
        String limit = section.get("ForwardLimit");
        if (limit != null) {
            if (!limit.strip().matches("\\d{1,9}") || Integer.parseInt(limit.strip()) < 1) {
                throw invalid(section, "ForwardLimit", limit, "a whole number of at least 1");
            }
            options = options.withForwardLimit(Integer.parseInt(limit.strip()));
        }
        return options;
    }

    private static Set<ForwardedHeader> parseHeaders(String value, Configuration section) {
        Set<ForwardedHeader> set = EnumSet.noneOf(ForwardedHeader.class);
        for (String item : items(value)) {
            switch (item.toLowerCase(Locale.ROOT)) {
                case "none" -> { }
                case "all" -> set.addAll(EnumSet.allOf(ForwardedHeader.class));
                default -> set.add(headerNamed(item, value, section));
            }
        }
        return set;
    }

    private static ForwardedHeader headerNamed(String item, String value, Configuration section) {
        for (ForwardedHeader header : ForwardedHeader.values()) {
            if (header.configName().equalsIgnoreCase(item)) {
                return header;
            }
        }
        throw invalid(section, "Headers", value,
                "None, All, or a comma list of XForwardedFor, XForwardedProto, XForwardedHost, XForwardedPrefix, Forwarded");
    }

    private static List<String> items(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }

    private static ConfigurationException invalid(Configuration section, String key, String value, String expected) {
        String full = SECTION + ":" + key;
        String source = section.sourceOf(key);
        return new ConfigurationException(full + " has the invalid value '" + value + "'"
                + (source == null ? "" : " (from " + source + ")") + "; expected " + expected, full, source);
    }
}
