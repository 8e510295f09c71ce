package dev.lanner.hosting.integration;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code lanner-module} told the application it started as a child process ("out-of-process
 * hosting", like the ASP.NET Core Module with {@code UseIISIntegration}): the loopback port to listen
 * on, the pairing token every forwarded request carries, and the path the module mounts the
 * application at.
 *
 * <p>The application is module-hosted when the environment has both {@value #PORT_VARIABLE} and
 * {@value #TOKEN_VARIABLE}; {@link #detect(Map)} decides from the environment the host was given.
 *
 * @param port            the loopback port the module forwards to ({@value #PORT_VARIABLE}), 1..65535
 * @param token           the pairing token ({@value #TOKEN_VARIABLE}); never logged
 * @param applicationPath the mount path ({@value #APPLICATION_PATH_VARIABLE}): {@code ""} for the
 *                        root, else starts with {@code /} and has no trailing {@code /}
 */
public record ModuleIntegration(int port, String token, String applicationPath) {

    /** The free loopback port the module chose. */
    public static final String PORT_VARIABLE = "LANNER_PORT";
    /** The random pairing token; a forwarded request carries it in {@value #TOKEN_HEADER}. */
    public static final String TOKEN_VARIABLE = "LANNER_TOKEN";
    /** The path the module mounts the application at, e.g. {@code /outproc}, or {@code /} for the root. */
    public static final String APPLICATION_PATH_VARIABLE = "LANNER_APPL_PATH";
    /** The variables of the protocol; they are not configuration (the token must not show up in a dump). */
    public static final Set<String> VARIABLES = Set.of(PORT_VARIABLE, TOKEN_VARIABLE, APPLICATION_PATH_VARIABLE);

    /** The request header carrying the pairing token. */
    public static final String TOKEN_HEADER = "Lanner-Token";
    /** The request header naming a module event ({@code shutdown}). */
    public static final String EVENT_HEADER = "Lanner-Event";
    /** The path the module posts its events to. */
    public static final String EVENT_PATH = "/lanner-integration";

    /**
     * The request header naming the user the module authenticated at the edge, percent-encoded UTF-8
     * ({@link EdgeIdentityHeaders#encodeUser}); honoured only with the pairing token.
     */
    public static final String USER_HEADER = "Lanner-User";
    /** How the module authenticated the {@value #USER_HEADER}: {@code Basic} or {@code Certificate}. */
    public static final String AUTHENTICATION_TYPE_HEADER = "Lanner-Auth-Type";
    /**
     * The request header carrying the client's TLS certificate at the edge, standard base64 of its DER
     * encoding ({@link EdgeIdentityHeaders#encodeCertificate}); honoured only with the pairing token.
     */
    public static final String CLIENT_CERTIFICATE_HEADER = "Lanner-Client-Certificate";

    public ModuleIntegration {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        applicationPath = normalizePath(applicationPath);
    }

    /**
     * The module's settings when {@code environment} has both {@value #PORT_VARIABLE} and
     * {@value #TOKEN_VARIABLE} (non-blank); empty when either is missing or blank.
     *
     * @throws IllegalArgumentException with one line naming {@value #PORT_VARIABLE} when it is not a port 1..65535
     */
    public static Optional<ModuleIntegration> detect(Map<String, String> environment) {
        String port = environment.get(PORT_VARIABLE);
        String token = environment.get(TOKEN_VARIABLE);
        if (port == null || port.isBlank() || token == null || token.isBlank()) {
            return Optional.empty();
        }
        String text = port.strip();
        if (!text.matches("\\d{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("The environment variable " + PORT_VARIABLE + " has the invalid value '"
                    + port + "'; expected a port number 1..65535 (set by lanner-module)");
        }
        return Optional.of(new ModuleIntegration(Integer.parseInt(text), token, environment.get(APPLICATION_PATH_VARIABLE)));
    }

    /** The only address the application listens on: the module's port on loopback. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Without the token: it is a secret between module and application. */
    @Override
    public String toString() {
        return "ModuleIntegration[port=" + port + ", applicationPath=" + applicationPath + "]";
    }

    /** {@code null}, blank and {@code /} mean the root ({@code ""}); a trailing {@code /} is dropped, a leading one added. */
    private static String normalizePath(String path) {
        if (path == null) {
            return "";
        }
        String p = path.strip();
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty()) {
            return "";
        }
        return p.startsWith("/") ? p : "/" + p;
    }
}
