package dev.lanner.module.site;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An application the module hosts, as the site file describes it (defaults applied, paths resolved).
 *
 * @param name                    unique in the site; defaults to the path's segments ({@code "/outproc"} gives
 *                                {@code "outproc"}, {@code "/a/b"} gives {@code "a-b"}, {@code "/"} gives {@code "root"})
 * @param path                    the mount prefix: starts with {@code /}, no trailing {@code /} except the root {@code "/"}
 * @param host                    {@code null} for any host, else {@code "example.com"} or {@code "*.example.com"}, lower case
 * @param directory               the application's folder, absolute: the process's working directory and where
 *                                {@code app_offline.htm} is looked for
 * @param hostingModel            out of process (the default) or in process
 * @param processPath             the command that starts an out-of-process application, as written: a command
 *                                ({@code java}) or a path relative to {@code directory} ({@code ./run.sh}); the caller
 *                                resolves it. {@code null} only for in-process applications
 * @param arguments               the process's arguments
 * @param environmentVariables    variables added to the process's environment, in file order
 * @param stdoutLogEnabled        whether the process's stdout and stderr are written to a log file
 * @param stdoutLogFile           the log file prefix, absolute; files are {@code {stdoutLogFile}_{timestamp}_{pid}.log}
 * @param startupTimeLimit        how long the process may take to listen; greater than zero
 * @param shutdownTimeLimit       how long the process may take to exit once asked to; zero or more
 * @param rapidFailsPerMinute     how many times the process may fail within a minute before the module stops
 *                                restarting it; at least 1
 * @param requestTimeout          how long the module waits for the process to answer a request; greater than zero
 * @param processesPerApplication how many processes serve the application; 1 to 100
 * @param jar                     an in-process application's jar, absolute; {@code null} for the single jar with a
 *                                {@code Main-Class} in {@code directory/target/} (and for out-of-process ones)
 * @param mainClass               the class whose {@code main} an in-process application runs; {@code null} for the
 *                                jar's {@code Main-Class}
 * @param forwardClientCertificate whether the client certificate of the edge TLS handshake reaches the application
 * @param classPath               in process, instead of {@code jar}: the application's class path (its classes first;
 *                                absolute), with {@code mainClass}; empty for none
 * @param aotCache                out of process, for a {@code java} command on JDK 25+: whether processes start from
 *                                the JDK's AOT cache, made by a training run after the first start (default true)
 */
public record ApplicationEntry(
        String name,
        String path,
        String host,
        Path directory,
        HostingModel hostingModel,
        String processPath,
        List<String> arguments,
        Map<String, String> environmentVariables,
        boolean stdoutLogEnabled,
        Path stdoutLogFile,
        Duration startupTimeLimit,
        Duration shutdownTimeLimit,
        int rapidFailsPerMinute,
        Duration requestTimeout,
        int processesPerApplication,
        Path jar,
        String mainClass,
        boolean forwardClientCertificate,
        List<Path> classPath,
        boolean aotCache) {

    /** An entry without the in-process and identity settings. */
    public ApplicationEntry(String name, String path, String host, Path directory, HostingModel hostingModel,
                            String processPath, List<String> arguments, Map<String, String> environmentVariables,
                            boolean stdoutLogEnabled, Path stdoutLogFile, Duration startupTimeLimit,
                            Duration shutdownTimeLimit, int rapidFailsPerMinute, Duration requestTimeout,
                            int processesPerApplication) {
        this(name, path, host, directory, hostingModel, processPath, arguments, environmentVariables, stdoutLogEnabled,
                stdoutLogFile, startupTimeLimit, shutdownTimeLimit, rapidFailsPerMinute, requestTimeout,
                processesPerApplication, null, null, false, List.of(), true);
    }

    public ApplicationEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(hostingModel, "hostingModel");
        arguments = List.copyOf(arguments);
        classPath = classPath == null ? List.of() : List.copyOf(classPath);
        environmentVariables = Collections.unmodifiableMap(new LinkedHashMap<>(environmentVariables));
    }

    /**
     * Whether a request is for this application.
     *
     * <p>The host matches ignoring the port, case and a trailing dot; {@code *.example.com} matches
     * sub-domains ({@code a.example.com}, {@code a.b.example.com}) but not {@code example.com}; an entry
     * without a host matches any host, including none. The path matches on segment boundaries ignoring
     * case: {@code /outproc} matches {@code /outproc}, {@code /outproc/} and {@code /outproc/x}, not
     * {@code /outprocx}; {@code /} matches every path.
     *
     * @param host the request's host, port allowed ({@code example.com:8443}, {@code [::1]:8080}); may be null
     * @param path the request's path without the query; null or empty is {@code /}
     */
    public boolean matches(String host, String path) {
        return hostMatches(host) && pathMatches(path == null || path.isEmpty() ? "/" : path);
    }

    private boolean hostMatches(String requestHost) {
        if (host == null) {
            return true;
        }
        if (requestHost == null) {
            return false;
        }
        String name = hostWithoutPort(requestHost).toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (host.startsWith("*.")) {
            String suffix = host.substring(1); // ".example.com"
            return name.length() > suffix.length() && name.endsWith(suffix);
        }
        return name.equals(host);
    }

    private static String hostWithoutPort(String host) {
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            return close < 0 ? host : host.substring(0, close + 1);
        }
        int colon = host.indexOf(':');
        // More than one colon without brackets is a bare IPv6 literal, which has no port.
        return colon >= 0 && colon == host.lastIndexOf(':') ? host.substring(0, colon) : host;
    }

    private boolean pathMatches(String requestPath) {
        if (path.equals("/")) {
            return true;
        }
        if (!requestPath.regionMatches(true, 0, path, 0, path.length())) {
            return false;
        }
        return requestPath.length() == path.length() || requestPath.charAt(path.length()) == '/';
    }
}
