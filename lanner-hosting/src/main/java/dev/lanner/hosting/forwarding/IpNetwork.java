package dev.lanner.hosting.forwarding;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IP network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); IPv4 and IPv6.
 * An IPv4 address never falls inside an IPv6 network and the other way round, except that
 * IPv4-mapped IPv6 addresses ({@code ::ffff:10.1.2.3}) are IPv4 addresses to Java and match IPv4 networks.
 *
 * @param prefix       the network address (host bits are cleared)
 * @param prefixLength how many leading bits are the network part (0-32 for IPv4, 0-128 for IPv6)
 */
public record IpNetwork(InetAddress prefix, int prefixLength) {

    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** The IPv4 loopback network {@code 127.0.0.0/8}. */
    public static final IpNetwork IPV4_LOOPBACK = parse("127.0.0.0/8");

    public IpNetwork {
        if (prefix == null) {
            throw new IllegalArgumentException("prefix must not be null");
        }
        int bits = prefix.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be 0-" + bits + ": " + prefixLength);
        }
        prefix = masked(prefix, prefixLength);
    }

    /**
     * Parses {@code address/length}; a bare address is a network of that one address.
     *
     * @throws IllegalArgumentException when the text is not a CIDR with a literal address
     */
    public static IpNetwork parse(String cidr) {
        String text = cidr == null ? "" : cidr.strip();
        int slash = text.indexOf('/');
        InetAddress address = parseAddress(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException("not an IP network in CIDR notation: '" + cidr + "'");
        }
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new IpNetwork(address, bits);
        }
        String length = text.substring(slash + 1);
        if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
            throw new IllegalArgumentException("not an IP network in CIDR notation: '" + cidr + "' (prefix length 0-" + bits + ")");
        }
        return new IpNetwork(address, Integer.parseInt(length));
    }

    /**
     * Parses an IPv4 or IPv6 literal without ever asking DNS; {@code null} when the text is not one
     * (host names, {@code unknown}, obfuscated identifiers, brackets, zone ids).
     */
    public static InetAddress parseAddress(String text) {
        if (text == null) {
            return null;
        }
        // The common case (every X-Forwarded-For from an IPv4 client) without a regex or a lookup.
        byte[] ipv4 = dottedQuad(text);
        if (ipv4 != null) {
            try {
                return InetAddress.getByAddress(ipv4);
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        if (!IPV6.matcher(text).matches()) {
            return null;
        }
        try {
            // A literal of either form: getByName parses it and never resolves it.
            return InetAddress.getByName(text);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Four decimal octets of 0-255 (one to three digits each), or {@code null}. */
    private static byte[] dottedQuad(String text) {
        int length = text.length();
        if (length < 7 || length > 15) {
            return null;
        }
        byte[] octets = new byte[4];
        int octet = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return null;
                }
            } else if (c == '.' && digits > 0 && octet < 3) {
                octets[octet++] = (byte) value;
                value = 0;
                digits = 0;
            } else {
                return null;
            }
        }
        if (digits == 0 || octet != 3) {
            return null;
        }
        octets[3] = (byte) value;
        return octets;
    }

    /** Whether {@code address} lies inside this network. */
    public boolean contains(InetAddress address) {
        if (address == null) {
            return false;
        }
        byte[] bytes = address.getAddress();
        byte[] network = prefix.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        // Compare the network bits in place: no masked copy of the address per request.
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xFF << (8 - rest);
        return (bytes[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return prefix.getHostAddress() + "/" + prefixLength;
    }

    private static InetAddress masked(InetAddress address, int length) {
        byte[] bytes = address.getAddress();
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.clamp(length - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xFF << (8 - keep));
        }
        if (Arrays.equals(bytes, address.getAddress())) {
            return address;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
