package dev.lanner.hosting.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Collects configuration sources in order and merges them into a {@link Configuration}; a source added
 * later overrides the keys of every source added before it.
 *
 * <p>In-memory maps, environment variables and command-line arguments are captured when added; JSON files
 * are read by {@link #build()}. A builder can build several times; each configuration is independent.
 *
 * <pre>{@code
 * Configuration configuration = ConfigurationBuilder
 *         .standard(contentRoot, args, System.getenv(), Map.of("Server:Port", "8080"))
 *         .build();
 * }</pre>
 */
public final class ConfigurationBuilder {
    /** Prefix of the environment variables read by {@link #standard}; it is removed from the key. */
    public static final String ENVIRONMENT_VARIABLE_PREFIX = "LANNER_";
    /** Key holding the environment name, e.g. {@code Development} or {@code Production}. */
    public static final String ENVIRONMENT_KEY = "Environment";
    /** Environment used when neither the command line nor {@code LANNER_ENVIRONMENT} names one. */
    public static final String DEFAULT_ENVIRONMENT = "Production";
    /** Source name of {@link #addDefaults}. */
    public static final String DEFAULTS_SOURCE = "defaults";

    private final List<Supplier<List<ConfigurationEntry>>> layers = new ArrayList<>();

    /** Creates a builder without sources; see {@link #standard} for the Lanner layering. */
    public ConfigurationBuilder() {
    }

    /**
     * The Lanner layering, lowest precedence first: {@code defaults}, {@code appsettings.json},
     * {@code appsettings.{Environment}.json}, environment variables prefixed {@code LANNER_}, and
     * {@code args}. Both files are optional and are looked up in {@code contentRoot}.
     *
     * <p>The environment name comes from the command line ({@code --environment Development}), else from
     * {@code LANNER_ENVIRONMENT}, else from an {@code Environment} key in {@code defaults}, else is
     * {@value #DEFAULT_ENVIRONMENT}. It is exposed as key {@value #ENVIRONMENT_KEY}, which the JSON files
     * cannot change because they were chosen by it.
     *
     * @param contentRoot directory holding the {@code appsettings*.json} files
     * @param args        command-line arguments, see {@link #addCommandLine}
     * @param env         environment variables, normally {@code System.getenv()}
     * @param defaults    built-in defaults of the application
     * @return a builder with these layers; add further sources or call {@link #build()}
     * @throws ConfigurationException when an argument is malformed or the environment name is not usable
     *         in a file name
     */
    public static ConfigurationBuilder standard(Path contentRoot, String[] args, Map<String, String> env,
                                                Map<String, String> defaults) {
        Objects.requireNonNull(contentRoot, "contentRoot");
        List<ConfigurationEntry> commandLine = CommandLineArguments.parse(args);
        List<ConfigurationEntry> environmentVariables = environmentVariables(ENVIRONMENT_VARIABLE_PREFIX, env);
        List<ConfigurationEntry> defaultEntries = inMemory(defaults, DEFAULTS_SOURCE);

        ConfigurationEntry environment = lastWithKey(commandLine, ENVIRONMENT_KEY);
        if (environment == null) {
            environment = lastWithKey(environmentVariables, ENVIRONMENT_KEY);
        }
        if (environment == null) {
            environment = lastWithKey(defaultEntries, ENVIRONMENT_KEY);
        }
        if (environment == null) {
            environment = new ConfigurationEntry(ENVIRONMENT_KEY, DEFAULT_ENVIRONMENT, DEFAULTS_SOURCE);
        }
        String name = environment.value().strip();
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("\0")) {
            throw new ConfigurationException("Invalid environment name '" + environment.value() + "' from "
                    + environment.source() + ": it must be a non-empty name usable in a file name",
                    ENVIRONMENT_KEY, environment.source());
        }

        ConfigurationBuilder builder = new ConfigurationBuilder();
        builder.layers.add(() -> defaultEntries);
        builder.addJsonFile(contentRoot.resolve("appsettings.json"), true);
        builder.addJsonFile(contentRoot.resolve("appsettings." + name + ".json"), true);
        builder.layers.add(() -> environmentVariables);
        builder.layers.add(() -> commandLine);
        List<ConfigurationEntry> selected = List.of(new ConfigurationEntry(ENVIRONMENT_KEY, name, environment.source()));
        builder.layers.add(() -> selected);
        return builder;
    }

    /** Adds built-in defaults; their source name is {@value #DEFAULTS_SOURCE}. Null values are ignored. */
    public ConfigurationBuilder addDefaults(Map<String, String> defaults) {
        return addInMemory(defaults, DEFAULTS_SOURCE);
    }

    /**
     * Adds settings from a map whose keys are full keys such as {@code Server:Port}. Null values are ignored.
     *
     * @param displayName the source name reported by {@link Configuration#sourceOf}
     */
    public ConfigurationBuilder addInMemory(Map<String, String> values, String displayName) {
        Objects.requireNonNull(displayName, "displayName");
        List<ConfigurationEntry> entries = inMemory(values, displayName);
        layers.add(() -> entries);
        return this;
    }

    /**
     * Adds a JSON file, read by {@link #build()}. Objects nest with {@code ':'}, arrays become index keys,
     * scalars their text and {@code null} the empty string; comments and trailing commas are allowed. The
     * source name is the file name, e.g. {@code appsettings.json}.
     *
     * @param optional whether a missing file is skipped rather than an error
     */
    public ConfigurationBuilder addJsonFile(Path path, boolean optional) {
        Objects.requireNonNull(path, "path");
        layers.add(() -> JsonConfigurationFile.read(path, optional));
        return this;
    }

    /**
     * Adds the environment variables whose names start with {@code prefix} (compared case-insensitively).
     * The prefix is removed and {@code __} becomes {@code ':'}, so {@code LANNER_SERVER__PORT} sets
     * {@code SERVER:PORT}. The source name is {@code environment variable NAME}.
     *
     * @param prefix the prefix, or {@code ""} for all variables
     * @param env    the variables, normally {@code System.getenv()}; passed explicitly to keep tests hermetic
     */
    public ConfigurationBuilder addEnvironmentVariables(String prefix, Map<String, String> env) {
        List<ConfigurationEntry> entries = environmentVariables(prefix == null ? "" : prefix, env);
        layers.add(() -> entries);
        return this;
    }

    /**
     * Adds command-line arguments: {@code --key=value}, {@code --key value}, {@code /key=value},
     * {@code /key value} and {@code key=value}; keys may contain {@code ':'}. An option without
     * {@code =} followed by another option ({@code --x}, {@code /x=y}) or by nothing has the value
     * {@code true}. Other arguments (positional arguments, {@code -x}) are ignored, and {@code --} ends
     * the options. The source name is {@code command line}.
     *
     * @throws ConfigurationException when an option has an empty key
     */
    public ConfigurationBuilder addCommandLine(String[] args) {
        List<ConfigurationEntry> entries = CommandLineArguments.parse(args);
        layers.add(() -> entries);
        return this;
    }

    /**
     * Reads the sources and merges them, later sources winning.
     *
     * @throws ConfigurationException when a required file is missing or a file is not valid JSON
     */
    public Configuration build() {
        TreeMap<String, ConfigurationEntry> merged = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Supplier<List<ConfigurationEntry>> layer : layers) {
            for (ConfigurationEntry entry : layer.get()) {
                String key = displayKey(merged, entry.key());
                merged.put(key, new ConfigurationEntry(key, entry.value(), entry.source()));
            }
        }
        return new Configuration(Collections.unmodifiableNavigableMap(merged), "");
    }

    /**
     * Spells a key like the existing keys it shares sections with, so that {@code LANNER_SERVER__PORT}
     * shows up as {@code Server:PORT} next to {@code Server:Limits} from a JSON file instead of
     * splitting the display into two spellings of one section.
     */
    private static String displayKey(NavigableMap<String, ConfigurationEntry> merged, String key) {
        ConfigurationEntry existing = merged.get(key);
        if (existing != null) {
            return existing.key();
        }
        for (int end = key.lastIndexOf(Configuration.KEY_DELIMITER); end > 0;
             end = key.lastIndexOf(Configuration.KEY_DELIMITER, end - 1)) {
            String display = Configuration.displayPath(merged, key.substring(0, end));
            if (display != null) {
                return display + key.substring(end);
            }
        }
        return key;
    }

    private static List<ConfigurationEntry> inMemory(Map<String, String> values, String source) {
        Objects.requireNonNull(values, "values");
        List<ConfigurationEntry> entries = new ArrayList<>(values.size());
        values.forEach((key, value) -> {
            if (key != null && !key.isEmpty() && value != null) {
                entries.add(new ConfigurationEntry(key, value, source));
            }
        });
        return List.copyOf(entries);
    }

    private static List<ConfigurationEntry> environmentVariables(String prefix, Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        List<ConfigurationEntry> entries = new ArrayList<>();
        // Sorted so that variables differing only in case resolve the same way on every run.
        new TreeMap<>(env).forEach((name, value) -> {
            if (value != null && name.length() > prefix.length()
                    && name.regionMatches(true, 0, prefix, 0, prefix.length())) {
                String key = name.substring(prefix.length()).replace("__", String.valueOf(Configuration.KEY_DELIMITER));
                entries.add(new ConfigurationEntry(key, value, "environment variable " + name));
            }
        });
        return List.copyOf(entries);
    }

    private static ConfigurationEntry lastWithKey(List<ConfigurationEntry> entries, String key) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).key().equalsIgnoreCase(key)) {
                return entries.get(i);
            }
        }
        return null;
    }
}
