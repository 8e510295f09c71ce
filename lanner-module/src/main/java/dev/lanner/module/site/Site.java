package dev.lanner.module.site;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded site file: the module's public bindings and the applications it hosts.
 *
 * @param file         the site file, absolute and normalized
 * @param environment  the environment the module runs in ({@code Development}, {@code Production}, ...)
 * @param bindings     the addresses the module listens on; at least one
 * @param applications the hosted applications in file order; at least one, unique names and mounts
 * @param authentication how clients are authenticated at the edge; {@code null} for not at all
 */
public record Site(Path file, String environment, List<Binding> bindings, List<ApplicationEntry> applications,
                   EdgeAuthenticationEntry authentication) {

    /** A site without edge authentication. */
    public Site(Path file, String environment, List<Binding> bindings, List<ApplicationEntry> applications) {
        this(file, environment, bindings, applications, null);
    }

    /** The most specific first: exact host, then wildcard host (longer first), then any host; then longer paths. */
    private static final Comparator<ApplicationEntry> MOST_SPECIFIC_FIRST =
            Comparator.comparingInt(Site::hostRank).reversed()
                    .thenComparing(Comparator.comparingInt(Site::hostLength).reversed())
                    .thenComparing(Comparator.comparingInt((ApplicationEntry entry) -> entry.path().length()).reversed());

    public Site {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(environment, "environment");
        bindings = List.copyOf(bindings);
        applications = List.copyOf(applications);
    }

    /**
     * The application a request goes to: among those that {@linkplain ApplicationEntry#matches match}, an
     * entry for the request's host before one for any host (an exact host before a {@code *.} wildcard),
     * then the longest mount path.
     *
     * @param host the request's host ({@code Host} header or {@code :authority}, port allowed); may be null
     * @param path the request's path, without the query
     */
    public Optional<ApplicationEntry> route(String host, String path) {
        return applications.stream()
                .filter(application -> application.matches(host, path))
                .min(MOST_SPECIFIC_FIRST);
    }

    private static int hostRank(ApplicationEntry entry) {
        if (entry.host() == null) {
            return 0;
        }
        return entry.host().startsWith("*.") ? 1 : 2;
    }

    private static int hostLength(ApplicationEntry entry) {
        return entry.host() == null ? 0 : entry.host().length();
    }
}
