package dev.lanner.hosting.integration;

import java.security.Principal;

/**
 * The user {@code lanner-module} authenticated at the edge, as the application sees it in
 * {@link dev.lanner.http.HttpContext#user()}: set by {@link ModuleIntegrationMiddleware} from the
 * {@value ModuleIntegration#USER_HEADER} header out of process, by the module itself in process.
 *
 * @param name               the user name (from the credentials file or the certificate map); not blank
 * @param authenticationType how the module authenticated the user: {@value #BASIC}, {@value #CERTIFICATE},
 *                           or {@value #MODULE} when the module did not say; not blank
 */
public record ModuleUser(String name, String authenticationType) implements Principal {

    /** HTTP Basic against the module's credentials file. */
    public static final String BASIC = "Basic";
    /** A client certificate the module mapped to a user. */
    public static final String CERTIFICATE = "Certificate";
    /** A forwarded user without {@value ModuleIntegration#AUTHENTICATION_TYPE_HEADER}. */
    public static final String MODULE = "Module";

    public ModuleUser {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("user name must not be blank");
        }
        if (authenticationType == null || authenticationType.isBlank()) {
            throw new IllegalArgumentException("authentication type must not be blank");
        }
    }

    @Override
    public String getName() {
        return name;
    }
}
