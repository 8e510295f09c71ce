package dev.lanner.http.server;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link ServerSettings} over a map, for code-configured servers and tests. */
final class MapServerSettings implements ServerSettings {

    private final TreeMap<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    MapServerSettings(Map<String, String> values) {
        this.values.putAll(values);
    }

    @Override
    public String get(String key) {
        return values.get(key);
    }

    @Override
    public Set<String> childKeys(String sectionKey) {
        String prefix = sectionKey.isEmpty() ? "" : sectionKey + ":";
        Set<String> children = new LinkedHashSet<>();
        // Keys are case-insensitive, so "H2c" and "H2C" are one child, spelled as first seen.
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String key : values.tailMap(prefix, true).keySet()) {
            if (!key.regionMatches(true, 0, prefix, 0, prefix.length())) {
                break;
            }
            String rest = key.substring(prefix.length());
            int colon = rest.indexOf(':');
            String child = colon < 0 ? rest : rest.substring(0, colon);
            if (seen.add(child)) {
                children.add(child);
            }
        }
        return children;
    }
}
