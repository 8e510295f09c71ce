package dev.lanner.cli.run;

import dev.lanner.cli.CliException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Builds an application project and the modules it depends on with Maven, from the
 * build root: {@code mvn -q -B -DskipTests -pl <project> -am package}.
 */
final class MavenBuild {
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    private final ApplicationProject project;
    private final Path javaHome;
    private final List<String> alsoBuild;
    private final List<String> properties;
    private final boolean clean;

    MavenBuild(ApplicationProject project, Path javaHome) {
        this(project, javaHome, List.of());
    }

    /** A build of {@code project} and the modules at {@code alsoBuild} (paths relative to the build root). */
    MavenBuild(ApplicationProject project, Path javaHome, List<String> alsoBuild) {
        this(project, javaHome, alsoBuild, List.of(), false);
    }

    /**
     * @param properties Maven properties for this build ({@code -Dkey=value}), e.g. the compiler's debug level
     * @param clean      whether to clean first (the configuration changed: the compiler would keep classes built otherwise)
     */
    MavenBuild(ApplicationProject project, Path javaHome, List<String> alsoBuild, List<String> properties, boolean clean) {
        this.project = project;
        this.javaHome = javaHome;
        this.alsoBuild = alsoBuild;
        this.properties = List.copyOf(properties);
        this.clean = clean;
    }

    /** The Maven command line: the build root's wrapper if it has one, else {@code mvn} from PATH. */
    List<String> command() {
        List<String> command = new ArrayList<>();
        Path wrapper = project.buildRoot().resolve(isWindows() ? "mvnw.cmd" : "mvnw");
        command.add(Files.isExecutable(wrapper) ? wrapper.toString() : isWindows() ? "mvn.cmd" : "mvn");
        // -B and style.color=never: no progress bars or colour codes in lanner's output.
        command.addAll(List.of("-q", "-B", "-ntp", "-Dstyle.color=never", "-DskipTests"));
        properties.forEach(property -> command.add("-D" + property));
        String module = project.modulePath();
        if (!module.isEmpty()) {
            List<String> modules = new ArrayList<>();
            modules.add(module);
            alsoBuild.stream().filter(m -> !m.isEmpty() && !modules.contains(m)).forEach(modules::add);
            command.addAll(List.of("-pl", String.join(",", modules), "-am"));
        }
        if (clean) {
            command.add("clean");
        }
        command.add("package");
        return command;
    }

    /** Runs the build with this JDK, Maven's output on the console; throws if it fails. */
    void run() {
        List<String> command = command();
        var builder = new ProcessBuilder(command).directory(project.buildRoot().toFile()).redirectErrorStream(true);
        // The application runs on this JDK, so it is also the one that compiles it.
        builder.environment().put("JAVA_HOME", javaHome.toString());
        int exitCode;
        try {
            Process maven = builder.start();
            copyWithoutAnsiCodes(maven.getInputStream(), System.err);
            exitCode = maven.waitFor();
        } catch (IOException e) {
            throw new CliException("cannot start Maven (" + command.getFirst() + "): " + e.getMessage()
                    + "; install Maven or put it on PATH");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("build interrupted");
        }
        if (exitCode != 0) {
            throw new CliException("build failed (" + String.join(" ", command) + " in " + project.buildRoot()
                    + " exited with " + exitCode + ")");
        }
    }

    /**
     * Maven's output, line by line, to {@code out} (lanner's stderr: stdout belongs to the application)
     * without terminal escape codes: Maven 3.8 writes colour resets ({@code ESC[0m}) even in batch mode.
     */
    static void copyWithoutAnsiCodes(InputStream in, PrintStream out) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                String plain = ANSI_ESCAPE.matcher(line).replaceAll("");
                if (!plain.isBlank()) {
                    out.println(plain);
                }
            }
        }
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
