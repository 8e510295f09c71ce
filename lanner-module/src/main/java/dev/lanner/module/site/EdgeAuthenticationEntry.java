package dev.lanner.module.site;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the module authenticates clients at the edge, for every application of the site (the site
 * file's {@code authentication}); the user it establishes reaches each application's
 * {@code HttpContext.user()}.
 *
 * @param credentialsFile  HTTP Basic against this file of {@code user:pbkdf2-sha256$...} lines (absolute);
 *                         {@code null} for no Basic authentication
 * @param realm            the Basic realm named in the {@code WWW-Authenticate} challenge
 * @param certificateUsers client certificates to users: a subject DN as RFC 2253 writes it
 *                         ({@code CN=alice,O=Example}) or {@code sha256:<thumbprint>}, to a user name;
 *                         empty for none
 * @param required         whether an anonymous request is challenged ({@code 401}) instead of passed on
 * @param certificateIssuers a PEM file of the issuers whose certificates may be mapped by subject (absolute);
 *                         {@code null} for none (thumbprints only)
 */
public record EdgeAuthenticationEntry(Path credentialsFile, String realm, Map<String, String> certificateUsers,
                                      boolean required, Path certificateIssuers) {

    public EdgeAuthenticationEntry {
        certificateUsers = Collections.unmodifiableMap(new LinkedHashMap<>(certificateUsers));
    }
}
