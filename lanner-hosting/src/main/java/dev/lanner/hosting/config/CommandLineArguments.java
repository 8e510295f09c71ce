package dev.lanner.hosting.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Parses command-line arguments into settings; the accepted forms are described on {@link ConfigurationBuilder#addCommandLine}. */
final class CommandLineArguments {
    static final String SOURCE = "command line";

    private CommandLineArguments() {
    }

    static List<ConfigurationEntry> parse(String[] args) {
        Objects.requireNonNull(args, "args");
        List<ConfigurationEntry> entries = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = Objects.requireNonNull(args[i], "command-line argument");
            if (arg.equals("--")) {
                break;
            }
            boolean option = arg.startsWith("--") || arg.startsWith("/");
            if (!option && arg.startsWith("-")) {
                continue;
            }
            String body = arg.startsWith("--") ? arg.substring(2) : arg.startsWith("/") ? arg.substring(1) : arg;
            int equals = body.indexOf('=');
            String key;
            String value;
            if (equals >= 0) {
                key = body.substring(0, equals);
                value = body.substring(equals + 1);
            } else if (option) {
                key = body;
                value = i + 1 < args.length && !isOption(args[i + 1]) ? args[++i] : "true";
            } else {
                // Positional arguments (sub-commands, file names) belong to whoever else reads args.
                continue;
            }
            if (key.isBlank()) {
                throw new ConfigurationException("Invalid command-line argument '" + arg + "': the key is empty",
                        null, SOURCE);
            }
            entries.add(new ConfigurationEntry(key.strip(), value, SOURCE));
        }
        return List.copyOf(entries);
    }

    /** Whether an argument starts a new option rather than being the value of the previous one. */
    private static boolean isOption(String arg) {
        // A lone "/path" is a value (a path), while "/key=value" is an option.
        return arg.startsWith("--") || (arg.startsWith("/") && arg.indexOf('=') > 1);
    }
}
