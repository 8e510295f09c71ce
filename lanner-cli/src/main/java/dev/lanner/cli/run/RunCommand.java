package dev.lanner.cli.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code lanner run}: builds an application project and runs it in a child JVM, as
 * {@code dotnet run} does.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Builds an application project with Maven and runs it.",
            "",
            "The class to run is the project's <lanner.mainClass> pom property; its class path is"
                    + " target/classes plus target/lanner.classpath, written by the project's build.",
            "Options after the project directory that lanner does not know (--Key=Value) are passed"
                    + " to the application as configuration overrides; so is everything after --."
        },
        sortOptions = false)
public final class RunCommand implements Callable<Integer> {
    /** How the application is built; for now only reported to it as {@code lanner.configuration}. */
    public enum Configuration { Debug, Release }

    @Parameters(index = "0", paramLabel = "<projectDir>", description = "The application project (a Maven module).")
    private Path projectDir;

    @Parameters(index = "1..*", paramLabel = "<appArgs>", description = "Arguments for the application.")
    private List<String> extraArguments = new ArrayList<>();

    @Unmatched
    private List<String> passThroughOptions = new ArrayList<>();

    @Option(names = "--urls", paramLabel = "URLS", description = "Addresses to listen on, separated by ';'. Port 0 picks a free port.")
    private String urls;

    @Option(names = "--environment", paramLabel = "NAME", description = "Hosting environment (Development, Staging, Production...).")
    private String environment;

    @Option(names = "--server", paramLabel = "NAME", description = "Server implementation the host should use.")
    private String server;

    @Option(names = {"-c", "--configuration"}, paramLabel = "Debug|Release",
            description = "Build configuration (default: ${DEFAULT-VALUE}).", defaultValue = "Debug")
    private Configuration configuration = Configuration.Debug;

    @Option(names = "--no-build", description = "Run the project as last built, without running Maven.")
    private boolean noBuild;

    @Override
    public Integer call() {
        ApplicationProject project = ApplicationProject.locate(projectDir);
        if (!noBuild) {
            System.err.println("lanner: building " + project.directory());
            new MavenBuild(project, Path.of(System.getProperty("java.home"))).run();
        }
        // The pom is read after the build so that a failing build is reported first.
        String mainClass = project.mainClass();
        var command = new ApplicationCommand(
                ApplicationCommand.currentJava(), systemProperties(), project.runtimeClassPath(), mainClass,
                applicationArguments());
        // Like `dotnet run`, the project directory is the content root (appsettings*.json live there).
        return ApplicationProcess.run(command, environmentVariables(), project.directory());
    }

    /**
     * What the application receives after its main class: the options lanner knows in
     * {@code --key=value} form, then the unknown options, then the arguments after the
     * project directory or {@code --}.
     */
    List<String> applicationArguments() {
        List<String> arguments = new ArrayList<>();
        if (urls != null) {
            arguments.add("--urls=" + urls);
        }
        if (environment != null) {
            arguments.add("--environment=" + environment);
        }
        if (server != null) {
            arguments.add("--server=" + server);
        }
        arguments.addAll(passThroughOptions);
        arguments.addAll(extraArguments);
        return arguments;
    }

    Map<String, String> systemProperties() {
        return Map.of("lanner.configuration", configuration.name());
    }

    /** The hosting environment is also set the way the host reads it by default. */
    Map<String, String> environmentVariables() {
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment != null) {
            variables.put("LANNER_ENVIRONMENT", environment);
        }
        return variables;
    }

    Path projectDir() {
        return projectDir;
    }

    boolean noBuild() {
        return noBuild;
    }

    Configuration configuration() {
        return configuration;
    }
}
