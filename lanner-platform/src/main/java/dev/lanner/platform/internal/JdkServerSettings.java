package dev.lanner.platform.internal;

import dev.lanner.platform.PlatformServerOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limits the JDK server takes only as system properties, read once per process when its first
 * server is created ({@code sun.net.httpserver.ServerConfig}). The first platform server of a JVM
 * sets them from its options (a property the user set on the command line wins); a later server
 * whose options differ is told, in a warning, that the first one's values stay in force.
 */
public final class JdkServerSettings {

    private static final Logger log = LoggerFactory.getLogger(JdkServerSettings.class);
    private static Map<String, String> inForce;

    private JdkServerSettings() {
    }

    public static synchronized void apply(PlatformServerOptions options) {
        Map<String, String> wanted = wanted(options);
        if (inForce == null) {
            Map<String, String> effective = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : wanted.entrySet()) {
                String set = System.getProperty(e.getKey());
                if (set == null) {
                    System.setProperty(e.getKey(), e.getValue());
                    effective.put(e.getKey(), e.getValue());
                } else {
                    effective.put(e.getKey(), set);
                }
            }
            inForce = effective;
            log.debug("JDK HTTP server settings for this process: {}", inForce);
            return;
        }
        for (Map.Entry<String, String> e : wanted.entrySet()) {
            String current = inForce.get(e.getKey());
            if (!e.getValue().equals(current)) {
                log.warn("The JDK HTTP server reads {} once per process: {} asks for {}, but {} stays in force",
                        e.getKey(), options.name(), e.getValue(), current);
            }
        }
    }

    private static Map<String, String> wanted(PlatformServerOptions options) {
        Map<String, String> wanted = new LinkedHashMap<>();
        // Nagle's algorithm stalls pipelined and small keep-alive responses behind delayed ACKs.
        wanted.put("sun.net.httpserver.nodelay", "true");
        wanted.put("sun.net.httpserver.idleInterval",
                Long.toString(seconds(options.idleConnectionTimeout())));
        // The JDK closes keep-alive connections beyond this many idle ones (default 200); HTTP.sys keeps them.
        wanted.put("sun.net.httpserver.maxIdleConnections",
                options.maxConnections() == null ? "1000000" : Long.toString(options.maxConnections()));
        // From the first byte of a request to the end of its head; the JDK closes the connection after it.
        wanted.put("sun.net.httpserver.maxReqTime", Long.toString(seconds(options.requestHeadersTimeout())));
        // Twice the limits: the server answers 431 between them (PlatformServer), the JDK closes beyond.
        wanted.put("sun.net.httpserver.maxReqHeaders", Long.toString(2L * options.maxRequestHeaderCount()));
        wanted.put("sun.net.httpserver.maxReqHeaderSize", Long.toString(2L * options.maxRequestHeadersTotalSize()));
        wanted.put("jdk.httpserver.maxConnections",
                options.maxConnections() == null ? "-1" : Long.toString(options.maxConnections()));
        return wanted;
    }

    private static long seconds(java.time.Duration duration) {
        return Math.max(1, (duration.toMillis() + 999) / 1000);
    }
}
