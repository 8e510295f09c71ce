package dev.lanner.cli.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lanner.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A project's {@code launchSettings.json} (the counterpart of ASP.NET Core's
 * {@code Properties/launchSettings.json}): named profiles that say how {@code lanner run} starts
 * the application.
 *
 * <pre>{@code
 * { "profiles": {
 *     "myapp":  { "commandName": "Project", "applicationUrl": "http://localhost:5000",
 *                 "environmentVariables": { "LANNER_ENVIRONMENT": "Development" },
 *                 "commandLineArgs": "--Greeting=hi", "launchBrowser": false },
 *     "Module": { "commandName": "Module", "hostingModel": "inprocess", "applicationUrl": "http://localhost:5080" } } }
 * }</pre>
 *
 * @param file     the file the profiles were read from
 * @param profiles the profiles in file order
 */
record LaunchSettings(Path file, List<Profile> profiles) {

    static final String FILE_NAME = "launchSettings.json";

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final List<String> PROFILE_KEYS = List.of("commandName", "applicationUrl", "environmentVariables",
            "commandLineArgs", "launchBrowser", "hostingModel");

    /** How a profile runs the application. */
    enum CommandName {
        /** The application on its own server ({@code lanner run} starts its main class). */
        PROJECT("Project"),
        /** The application behind the module (lanner-module), in or out of process. */
        MODULE("Module");

        private final String text;

        CommandName(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One profile.
     *
     * @param name                 the profile's name
     * @param commandName          how it runs the application
     * @param applicationUrl       the addresses ({@code ;}-separated), or {@code null}
     * @param environmentVariables variables for the application, in file order
     * @param commandLineArgs      arguments for the application, split like a shell
     * @param launchBrowser        whether to open the first address in a browser once it answers
     * @param hostingModel         for {@code Module}: {@code inprocess} (default) or {@code outofprocess}
     */
    record Profile(String name, CommandName commandName, String applicationUrl, Map<String, String> environmentVariables,
                   List<String> commandLineArgs, boolean launchBrowser, String hostingModel) {
    }

    /** The project's launch settings; empty when it has no {@value #FILE_NAME}. */
    static Optional<LaunchSettings> read(Path projectDirectory) {
        Path file = projectDirectory.resolve(FILE_NAME);
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        return Optional.of(parse(file, text));
    }

    static LaunchSettings parse(Path file, String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw new CliException(file + ": not valid JSON" + (location == null ? "" : " at line " + location.getLineNr()
                    + ", column " + location.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CliException(file + ": expected a JSON object with \"profiles\"");
        }
        JsonNode profilesNode = root.get("profiles");
        if (profilesNode == null || !profilesNode.isObject()) {
            throw new CliException(file + ": profiles is " + (profilesNode == null ? "missing" : "not an object")
                    + "; expected {\"profiles\": {\"name\": {\"commandName\": \"Project\", ...}}}");
        }
        List<Profile> profiles = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = profilesNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            profiles.add(profile(file, entry.getKey(), entry.getValue()));
        }
        return new LaunchSettings(file, List.copyOf(profiles));
    }

    private static Profile profile(Path file, String name, JsonNode node) {
        String key = "profiles." + name;
        if (!node.isObject()) {
            throw new CliException(file + ": " + key + " is not an object; expected {\"commandName\": \"Project\", ...}");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!PROFILE_KEYS.contains(field)) {
                throw new CliException(file + ": " + key + "." + field + " is not a known key; expected one of "
                        + String.join(", ", PROFILE_KEYS));
            }
        }
        String command = text(file, key + ".commandName", node.get("commandName"));
        CommandName commandName;
        if (command == null || command.equalsIgnoreCase("Project")) {
            commandName = CommandName.PROJECT;
        } else if (command.equalsIgnoreCase("Module")) {
            commandName = CommandName.MODULE;
        } else {
            throw new CliException(file + ": " + key + ".commandName is \"" + command + "\"; expected Project or Module");
        }
        String urls = text(file, key + ".applicationUrl", node.get("applicationUrl"));
        Map<String, String> variables = new LinkedHashMap<>();
        JsonNode variablesNode = node.get("environmentVariables");
        if (variablesNode != null && !variablesNode.isNull()) {
            if (!variablesNode.isObject()) {
                throw new CliException(file + ": " + key + ".environmentVariables is not an object; expected {\"NAME\": \"value\"}");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = variablesNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> variable = it.next();
                JsonNode value = variable.getValue();
                if (variable.getKey().isEmpty() || variable.getKey().contains("=") || !value.isValueNode() || value.isNull()) {
                    throw new CliException(file + ": " + key + ".environmentVariables." + variable.getKey()
                            + " is invalid; expected a name without '=' and a string value");
                }
                variables.put(variable.getKey(), value.asText());
            }
        }
        String arguments = text(file, key + ".commandLineArgs", node.get("commandLineArgs"));
        JsonNode browserNode = node.get("launchBrowser");
        if (browserNode != null && !browserNode.isNull() && !browserNode.isBoolean()) {
            throw new CliException(file + ": " + key + ".launchBrowser is " + browserNode + "; expected true or false");
        }
        String hostingModel = text(file, key + ".hostingModel", node.get("hostingModel"));
        if (hostingModel != null) {
            hostingModel = hostingModel.toLowerCase(Locale.ROOT);
            if (!hostingModel.equals("inprocess") && !hostingModel.equals("outofprocess")) {
                throw new CliException(file + ": " + key + ".hostingModel is \"" + hostingModel + "\"; expected inprocess or outofprocess");
            }
            if (commandName != CommandName.MODULE) {
                throw new CliException(file + ": " + key + ".hostingModel is only for \"commandName\": \"Module\"");
            }
        }
        return new Profile(name, commandName, urls, Collections.unmodifiableMap(variables),
                splitArguments(file, key + ".commandLineArgs", arguments == null ? "" : arguments),
                browserNode != null && browserNode.booleanValue(),
                commandName == CommandName.MODULE && hostingModel == null ? "inprocess" : hostingModel);
    }

    private static String text(Path file, String key, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new CliException(file + ": " + key + " is " + node + "; expected a string");
        }
        String value = node.textValue().strip();
        return value.isEmpty() ? null : value;
    }

    /**
     * Splits arguments like a POSIX shell without expansions: whitespace separates, single quotes
     * are literal, double quotes allow {@code \"} and {@code \\}, a backslash elsewhere escapes.
     */
    static List<String> splitArguments(Path file, String key, String text) {
        List<String> arguments = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inArgument = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inArgument) {
                    arguments.add(current.toString());
                    current.setLength(0);
                    inArgument = false;
                }
            } else if (c == '\'') {
                int end = text.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new CliException(file + ": " + key + " has a single quote that is not closed");
                }
                current.append(text, i + 1, end);
                i = end;
                inArgument = true;
            } else if (c == '"') {
                int j = i + 1;
                for (; j < text.length() && text.charAt(j) != '"'; j++) {
                    char d = text.charAt(j);
                    if (d == '\\' && j + 1 < text.length() && (text.charAt(j + 1) == '"' || text.charAt(j + 1) == '\\')) {
                        d = text.charAt(++j);
                    }
                    current.append(d);
                }
                if (j >= text.length()) {
                    throw new CliException(file + ": " + key + " has a double quote that is not closed");
                }
                i = j;
                inArgument = true;
            } else if (c == '\\' && i + 1 < text.length()) {
                current.append(text.charAt(++i));
                inArgument = true;
            } else {
                current.append(c);
                inArgument = true;
            }
        }
        if (inArgument) {
            arguments.add(current.toString());
        }
        return List.copyOf(arguments);
    }

    /**
     * The profile to run: {@code name} when given (an error listing the profiles when there is none
     * of that name), else the first {@code Project} profile, else none.
     */
    Optional<Profile> select(String name) {
        if (name != null) {
            return Optional.of(profiles.stream().filter(p -> p.name().equals(name)).findFirst()
                    .or(() -> profiles.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst())
                    .orElseThrow(() -> new CliException("no launch profile '" + name + "' in " + file + "; "
                            + (profiles.isEmpty() ? "it has none" : "profiles: "
                            + String.join(", ", profiles.stream().map(Profile::name).toList())))));
        }
        return profiles.stream().filter(p -> p.commandName() == CommandName.PROJECT).findFirst();
    }
}
