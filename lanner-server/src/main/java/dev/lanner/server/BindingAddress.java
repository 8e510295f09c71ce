package dev.lanner.server;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A parsed listen URL: {@code http://localhost:5000}, {@code http://*:0}, {@code http://+:80},
 * {@code http://127.0.0.1:8080}, {@code http://[::1]:8080}, {@code https://host:443},
 * {@code http://unix:/run/app.sock}. Like Kestrel: {@code localhost} binds both loopback
 * addresses; {@code *}, {@code +}, {@code 0.0.0.0} and other host names bind every interface.
 */
public record BindingAddress(String scheme, String host, int port, Path unixPath, String pathBase) {

    public enum Kind { LOCALHOST, ANY, IP, UNIX }

    public static BindingAddress parse(String url) {
        String u = url.trim();
        int schemeEnd = u.indexOf("://");
        if (schemeEnd <= 0) {
            throw new IllegalArgumentException("Invalid URL '" + url + "': expected scheme://host:port");
        }
        String scheme = u.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("Invalid URL '" + url + "': scheme must be http or https");
        }
        String rest = u.substring(schemeEnd + 3);
        if (rest.regionMatches(true, 0, "unix:", 0, 5)) {
            String p = rest.substring(5);
            if (p.isEmpty()) {
                throw new IllegalArgumentException("Invalid URL '" + url + "': unix: needs a socket path");
            }
            return new BindingAddress(scheme, "unix", 0, Path.of(p), "");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String pathBase = slash < 0 ? "" : rest.substring(slash);
        if (pathBase.endsWith("/")) {
            pathBase = pathBase.substring(0, pathBase.length() - 1);
        }
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Invalid URL '" + url + "': unclosed IPv6 literal");
            }
            host = authority.substring(1, close);
            if (close + 1 < authority.length()) {
                if (authority.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("Invalid URL '" + url + "'");
                }
                portText = authority.substring(close + 2);
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("Invalid URL '" + url + "': missing host");
        }
        int port;
        if (portText == null) {
            port = scheme.equals("https") ? 443 : 80;
        } else {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid URL '" + url + "': port '" + portText + "' is not a number");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("Invalid URL '" + url + "': port " + port + " out of range");
            }
        }
        return new BindingAddress(scheme, host, port, null, pathBase);
    }

    public Kind kind() {
        if (unixPath != null) {
            return Kind.UNIX;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return Kind.LOCALHOST;
        }
        if (host.equals("*") || host.equals("+") || host.equals("0.0.0.0") || host.equals("::") || !isIpLiteral(host)) {
            return Kind.ANY;
        }
        return Kind.IP;
    }

    public boolean isHttps() {
        return scheme.equals("https");
    }

    /** The socket addresses to bind, in order (localhost: IPv4 then IPv6 loopback). */
    public List<SocketAddress> socketAddresses() throws UnknownHostException {
        return switch (kind()) {
            case UNIX -> List.of(UnixDomainSocketAddress.of(unixPath));
            case LOCALHOST -> List.of(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port),
                    new InetSocketAddress(InetAddress.getByName("::1"), port));
            case ANY -> List.of(new InetSocketAddress(port));
            case IP -> List.of(new InetSocketAddress(InetAddress.getByName(host), port));
        };
    }

    /** The URL to report for a bound socket address (port 0 resolved). */
    public String urlFor(SocketAddress bound) {
        if (bound instanceof UnixDomainSocketAddress unix) {
            return scheme + "://unix:" + unix.getPath();
        }
        InetSocketAddress inet = (InetSocketAddress) bound;
        String h = switch (kind()) {
            case LOCALHOST -> inet.getAddress() instanceof Inet6Address ? "[::1]" : "127.0.0.1";
            case ANY -> inet.getAddress() instanceof Inet6Address ? "[::]" : "0.0.0.0";
            default -> inet.getAddress() instanceof Inet6Address v6 ? "[" + compressed(v6) + "]"
                    : inet.getAddress().getHostAddress();
        };
        return scheme + "://" + h + ":" + inet.getPort() + pathBase;
    }

    /** RFC 5952 §4.2: the longest run of two or more zero groups is written {@code ::} ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
    static String compressed(Inet6Address address) {
        String full = address.getHostAddress(); // eight groups, no leading zeros, lower case
        String scope = "";
        int percent = full.indexOf('%');
        if (percent >= 0) {
            scope = full.substring(percent);
            full = full.substring(0, percent);
        }
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        if (bestStart < 0) {
            return full + scope;
        }
        return String.join(":", Arrays.copyOfRange(groups, 0, bestStart)) + "::"
                + String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length)) + scope;
    }

    private static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c == '.' || (c >= '0' && c <= '9'))) {
                return false;
            }
        }
        return true;
    }
}
