package dev.lanner.hosting.config;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable, flattened view of layered configuration settings.
 *
 * <p>Keys are section paths joined by {@code ':'}, for example {@code Server:Limits:MaxRequestBodySize};
 * array elements appear as index keys ({@code Urls:0}, {@code Urls:1}). Keys are compared
 * case-insensitively but keep their original spelling for display. Every value is a string;
 * {@link #bind(String, Class)} converts a section to a typed object.
 *
 * <p>A {@linkplain #section(String) section} is a view that shares the settings of the configuration it
 * came from and resolves keys relative to its {@link #path()}. Instances are built by
 * {@link ConfigurationBuilder}, never change, and are safe to share between threads.
 */
public final class Configuration {
    /** Separates the segments of a key. */
    public static final char KEY_DELIMITER = ':';

    /**
     * Orders child names: array indexes numerically first, then names case-insensitively, so that
     * {@code 2} comes before {@code 10} and {@code Http} equals {@code HTTP}.
     */
    static final Comparator<String> CHILD_ORDER = (a, b) -> {
        boolean aIndex = isIndex(a);
        boolean bIndex = isIndex(b);
        if (aIndex && bIndex) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (aIndex != bIndex) {
            return aIndex ? -1 : 1;
        }
        return String.CASE_INSENSITIVE_ORDER.compare(a, b);
    };

    private static final Configuration EMPTY =
            new Configuration(Collections.unmodifiableNavigableMap(new TreeMap<>(String.CASE_INSENSITIVE_ORDER)), "");

    /** All settings of the whole configuration by full key; shared by every section view and never modified. */
    private final NavigableMap<String, ConfigurationEntry> entries;
    private final String path;

    Configuration(NavigableMap<String, ConfigurationEntry> entries, String path) {
        this.entries = entries;
        this.path = path;
    }

    /** A configuration without any settings. */
    public static Configuration empty() {
        return EMPTY;
    }

    /**
     * The full path of this section, e.g. {@code Server:Limits}, spelled as in the source that first
     * supplied it; empty for the root.
     */
    public String path() {
        return path;
    }

    /**
     * The value of a key relative to this section.
     *
     * @param key a key such as {@code Port} or {@code Limits:MaxRequestBodySize}, matched case-insensitively
     * @return the value, or {@code null} when the key has no value
     */
    public String get(String key) {
        ConfigurationEntry entry = entries.get(absolute(key));
        return entry == null ? null : entry.value();
    }

    /** The value of a key relative to this section, or {@code defaultValue} when the key has no value. */
    public String get(String key, String defaultValue) {
        String value = get(key);
        return value == null ? defaultValue : value;
    }

    /**
     * The value of a key relative to this section converted to {@code type} as {@link #bind(String, Class)}
     * converts a scalar (numbers, booleans, enums case-insensitively, {@code char}, {@code Duration},
     * {@code URI}, {@code Path}, {@code UUID}, {@code Locale}, strings), or {@code defaultValue} when the key
     * has no value; like .NET's {@code GetValue<T>}. An empty value is "not set" as for {@code bind}:
     * {@code null}, or zero ({@code false}) when {@code type} is primitive ({@code boolean.class}).
     *
     * @throws ConfigurationException when the value cannot be converted, or the key is a section; the
     *         one-line message names the value's source, the full key and the expected type
     * @throws IllegalArgumentException when {@code type} is not a scalar type
     */
    public <T> T getValue(String key, Class<T> type, T defaultValue) {
        Configuration value = section(key);
        if (!value.exists()) {
            return defaultValue;
        }
        return ConfigurationBinder.scalar(value, type);
    }

    /**
     * Runs {@code constructor}, which builds a {@code type} from values read off this section with
     * {@link #getValue}: for options types that bind themselves key by key instead of by reflection. An
     * {@link IllegalArgumentException} it throws (a constructor rejecting the values) becomes the one-line
     * {@link ConfigurationException} that {@link #bind(Class)} would throw, naming this section.
     */
    public <T> T construct(Class<T> type, java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw ConfigurationBinder.invalidSection(this, type, type, path, e);
        }
    }

    /**
     * Throws what {@link #bind(Class)} throws when this key holds a value where a section of {@code type}
     * belongs ({@code Hosting=on} instead of {@code Hosting:RequestLog=on}); for options types that read
     * their keys with {@link #getValue}.
     *
     * @return this section
     */
    public Configuration requireSection(Class<?> type) {
        ConfigurationBinder.requireSection(this, type);
        return this;
    }

    /** The value of a key relative to this section, if it has one. */
    public Optional<String> find(String key) {
        return Optional.ofNullable(get(key));
    }

    /** The value of this section itself (for the section {@code Server:Port}, the port), or {@code null}. */
    public String value() {
        ConfigurationEntry entry = path.isEmpty() ? null : entries.get(path);
        return entry == null ? null : entry.value();
    }

    /**
     * The display name of the source that supplied the winning value of a key, for example
     * {@code appsettings.Development.json}, {@code environment variable LANNER_SERVER__PORT},
     * {@code command line} or {@code defaults}.
     *
     * @return the source name, or {@code null} when the key has no value
     */
    public String sourceOf(String key) {
        ConfigurationEntry entry = entries.get(absolute(key));
        return entry == null ? null : entry.source();
    }

    /**
     * A view of the section below {@code key}; keys of the view are relative to it. The section need not
     * exist: a missing section is an empty view whose {@link #exists()} is {@code false}.
     */
    public Configuration section(String key) {
        String full = absolute(key);
        String display = displayPath(entries, full);
        return new Configuration(entries, display == null ? full : display);
    }

    /** Whether this section has a value of its own or any key below it; the root exists when it has any key. */
    public boolean exists() {
        if (path.isEmpty()) {
            return !entries.isEmpty();
        }
        return entries.containsKey(path) || !descendants(entries, path).isEmpty();
    }

    /** Whether {@code key} (relative to this section) has a value or any key below it. */
    public boolean hasKey(String key) {
        return section(key).exists();
    }

    /**
     * The names of the immediate children of this section, e.g. {@code [Http, Https]} for
     * {@code Server:Endpoints}; array indexes in numeric order, other names case-insensitively sorted.
     */
    public Set<String> childKeys() {
        int offset = path.isEmpty() ? 0 : path.length() + 1;
        TreeSet<String> children = new TreeSet<>(CHILD_ORDER);
        for (String key : descendants(entries, path).keySet()) {
            int end = key.indexOf(KEY_DELIMITER, offset);
            children.add(end < 0 ? key.substring(offset) : key.substring(offset, end));
        }
        return Collections.unmodifiableSet(children);
    }

    /**
     * All values below this section by key relative to it. The map is unmodifiable and its lookups are
     * case-insensitive, like those of the configuration.
     */
    public Map<String, String> asMap() {
        int offset = path.isEmpty() ? 0 : path.length() + 1;
        TreeMap<String, String> values = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (ConfigurationEntry entry : descendants(entries, path).values()) {
            values.put(entry.key().substring(offset), entry.value());
        }
        return Collections.unmodifiableMap(values);
    }

    /**
     * Converts this section to an instance of {@code type}; see {@link #bind(String, Class)}.
     */
    public <T> T bind(Class<T> type) {
        return ConfigurationBinder.bind(this, type);
    }

    /**
     * Converts the section below {@code sectionKey} to an instance of {@code type} (a record, a POJO, a
     * collection or a scalar such as {@code Integer} or {@code Duration}).
     *
     * <p>Keys match properties case-insensitively and unknown keys are ignored. Sections whose children are
     * {@code 0..n-1} become lists or arrays. Strings are converted to numbers, booleans, enums
     * (case-insensitively) and durations (seconds such as {@code 30} or {@code 1.5}, {@code HH:MM:SS} or
     * {@code [d.]HH:MM:SS[.fff]} as in .NET, or ISO-8601 such as {@code PT30S}).
     *
     * <p>Properties without configuration keep their defaults: a POJO keeps its field initializers; a type
     * that declares {@code public static T defaults()} is bound by overlaying the configuration on the
     * value {@code defaults()} returns, wherever that type appears (top level, nested property, list
     * element), and a missing property of such a type becomes {@code defaults()}.
     *
     * @return the bound instance; when the section does not exist, {@code defaults()} or an instance built
     *         from no properties, or {@code null} for JDK types such as {@code Integer} or {@code List}
     * @throws ConfigurationException when a value cannot be converted; the one-line message names the
     *         source of the value, the full key and the expected type
     */
    public <T> T bind(String sectionKey, Class<T> type) {
        return section(sectionKey).bind(type);
    }

    @Override
    public String toString() {
        return "Configuration[path=" + path + ", keys=" + descendants(entries, path).size() + "]";
    }

    /** The entry stored under a full key, or {@code null}. */
    ConfigurationEntry entryAt(String fullKey) {
        return entries.get(fullKey);
    }

    /** The first entry below a full key, or {@code null} when nothing is below it. */
    ConfigurationEntry firstEntryBelow(String fullKey) {
        NavigableMap<String, ConfigurationEntry> below = descendants(entries, fullKey);
        return below.isEmpty() ? null : below.firstEntry().getValue();
    }

    static NavigableMap<String, ConfigurationEntry> descendants(NavigableMap<String, ConfigurationEntry> entries,
                                                                String path) {
        if (path.isEmpty()) {
            return entries;
        }
        // ';' is the character right after ':', so this range holds exactly the keys below path.
        return entries.subMap(path + KEY_DELIMITER, true, path + ';', false);
    }

    /**
     * The spelling of {@code path} used by the existing keys, or {@code null} when no key is at or below
     * it. Case-insensitively equal strings have equal lengths, so the prefix of a key below it is its spelling.
     */
    static String displayPath(NavigableMap<String, ConfigurationEntry> entries, String path) {
        ConfigurationEntry exact = entries.get(path);
        if (exact != null) {
            return exact.key();
        }
        NavigableMap<String, ConfigurationEntry> below = descendants(entries, path);
        return below.isEmpty() ? null : below.firstKey().substring(0, path.length());
    }

    static String combine(String path, String key) {
        return path.isEmpty() ? key : path + KEY_DELIMITER + key;
    }

    /** Whether {@code name} is a canonical array index: {@code 0} or digits without a leading zero. */
    static boolean isIndex(String name) {
        int length = name.length();
        if (length == 0 || length > 9 || (length > 1 && name.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private String absolute(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("A configuration key must not be empty");
        }
        return combine(path, key);
    }
}
