package dev.lanner.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command that starts an application:
 * {@code java [JVM options...] [-Dkey=value...] -cp <class path> <main class> [application arguments]}.
 */
record ApplicationCommand(
        Path java, Map<String, String> systemProperties, RuntimeClassPath classPath, String mainClass,
        List<String> arguments, List<String> jvmOptions) {

    ApplicationCommand {
        systemProperties = Map.copyOf(systemProperties);
        arguments = List.copyOf(arguments);
        jvmOptions = List.copyOf(jvmOptions);
    }

    ApplicationCommand(Path java, Map<String, String> systemProperties, RuntimeClassPath classPath, String mainClass,
                       List<String> arguments) {
        this(java, systemProperties, classPath, mainClass, arguments, List.of());
    }

    /** The {@code java} launcher of the JDK this CLI runs on. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    List<String> toList() {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        systemProperties.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(property -> command.add("-D" + property.getKey() + "=" + property.getValue()));
        command.add("-cp");
        command.add(classPath.asArgument());
        command.add(mainClass);
        command.addAll(arguments);
        return command;
    }
}
