package dev.lanner.http.server;

import java.util.Map;
import java.util.Set;

/**
 * The configuration a server reads at creation: flat keys separated by {@code :} and compared
 * case-insensitively ({@code Server:Limits:MaxRequestBodySize}). Hosting adapts its configuration
 * to this interface, which keeps servers independent of hosting.
 */
public interface ServerSettings {

    /** The value at {@code key}, or {@code null}. */
    String get(String key);

    /** The immediate child names below {@code sectionKey} (e.g. endpoint names below {@code Server:Endpoints}). */
    Set<String> childKeys(String sectionKey);

    /** Where the value at {@code key} came from (a file name, "command line", ...), for error messages. */
    default String sourceOf(String key) {
        return "configuration";
    }

    /** Settings from a map (keys compared case-insensitively). */
    static ServerSettings of(Map<String, String> values) {
        return new MapServerSettings(values);
    }

    /** No settings: every server default applies. */
    static ServerSettings empty() {
        return of(Map.of());
    }
}
