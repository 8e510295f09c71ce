package dev.lanner.cli.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lanner.cli.CliException;
import dev.lanner.cli.install.LannerArtifacts;
import dev.lanner.cli.run.LaunchSettings.CommandName;
import dev.lanner.cli.run.LaunchSettings.Profile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Unmatched;

/**
 * {@code lanner run}: builds an application project (when its sources changed) and runs it in a
 * child JVM, on its own server or behind the module, as {@code dotnet run} does with
 * {@code launchSettings.json}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Builds an application project with Maven (only when a source or pom changed) and runs it.",
            "",
            "Launch profiles come from the project's launchSettings.json: without --launch-profile the first"
                    + " profile whose commandName is Project is used; a Module profile runs the application behind"
                    + " the module (lanner-module), in or out of process.",
            "Debug (the default) runs target/classes with full debug information in the Development environment;"
                    + " Release runs the packaged jar in Production, on JDK 25+ from an AOT cache that a training run"
                    + " makes once per build. A profile's LANNER_ENVIRONMENT or --environment wins.",
            "Options lanner does not know (--Key=Value) are passed to the application as configuration overrides;"
                    + " so is everything after --.",
            "",
            "Exit codes: the application's own; 0 after a stop asked for with SIGINT/SIGTERM (Ctrl+C) that the"
                    + " application completed; 1 for an error lanner reports in one line (no project, a broken"
                    + " launchSettings.json, an unknown profile, a failed build); 2 for a bad command line."
        },
        sortOptions = false)
public final class RunCommand implements Callable<Integer> {

    /** How the application is built and run. */
    public enum Configuration {
        /** target/classes with full debug information (local variables too), Development by default. */
        Debug,
        /** The packaged jar, compiled without local-variable tables, Production by default, with an AOT cache. */
        Release
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "<projectDir>",
            description = "The application project (a Maven module); default: the current directory.")
    private Path projectDir;

    @Parameters(index = "1..*", paramLabel = "<appArgs>", description = "Arguments for the application.")
    private List<String> extraArguments = new ArrayList<>();

    @Unmatched
    private List<String> passThroughOptions = new ArrayList<>();

    @Option(names = "--launch-profile", paramLabel = "NAME", description = "The launchSettings.json profile to run.")
    private String launchProfile;

    @Option(names = "--no-launch-profile", description = "Ignore launchSettings.json.")
    private boolean noLaunchProfile;

    @Option(names = {"-c", "--configuration"}, paramLabel = "Debug|Release",
            description = "Build configuration (default: ${DEFAULT-VALUE}).", defaultValue = "Debug")
    private Configuration configuration = Configuration.Debug;

    @Option(names = "--urls", paramLabel = "URLS", description = "Addresses to listen on, separated by ';'. Port 0 picks a free port.")
    private String urls;

    @Option(names = "--environment", paramLabel = "NAME", description = "Hosting environment (Development, Staging, Production...).")
    private String environment;

    @Option(names = "--server", paramLabel = "NAME", description = "Server implementation the host should use.")
    private String server;

    @Option(names = "--no-build", description = "Run the project as last built, without running Maven.")
    private boolean noBuild;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (launchProfile != null && noLaunchProfile) {
            throw new ParameterException(spec.commandLine(), "--launch-profile and --no-launch-profile exclude each other");
        }
        ApplicationProject project = ApplicationProject.locate(projectDir == null ? Path.of(".") : projectDir);
        Profile profile = profile(project);
        boolean behindModule = profile != null && profile.commandName() == CommandName.MODULE;
        if (!noBuild) {
            build(project);
        }
        // The pom is read after the build so that a failing build is reported first.
        String mainClass = project.mainClass();
        RuntimeClassPath classPath = classPath(project, mainClass);
        String effectiveEnvironment = effectiveEnvironment(profile);
        String effectiveUrls = urls != null ? urls : profile != null ? profile.applicationUrl() : null;
        System.err.println("lanner: running " + project.directory().getFileName() + " ("
                + (profile == null ? "no launch profile" : "launch profile '" + profile.name() + "', " + profile.commandName()
                + (behindModule ? " " + profile.hostingModel() : ""))
                + "; " + configuration + "; environment " + effectiveEnvironment
                + (effectiveUrls == null ? "" : "; urls " + effectiveUrls) + ")");
        Map<String, String> variables = environmentVariables(profile, effectiveEnvironment);
        if (profile != null && profile.launchBrowser() && effectiveUrls != null) {
            Browser.openWhenAnswering(effectiveUrls.split(";")[0].strip());
        }
        if (behindModule) {
            return runBehindModule(project, profile, mainClass, classPath, effectiveEnvironment, effectiveUrls, variables);
        }
        var command = new ApplicationCommand(ApplicationCommand.currentJava(), systemProperties(), classPath, mainClass,
                applicationArguments(profile, effectiveUrls));
        if (configuration == Configuration.Release) {
            command = withAheadOfTimeCache(command, variables, project);
        }
        // Like `dotnet run`, the project directory is the content root (appsettings*.json live there).
        return ApplicationProcess.run(command, variables, project.directory());
    }

    /** A Release run starts from the JDK's AOT cache, made by a training run once per build. */
    private static ApplicationCommand withAheadOfTimeCache(ApplicationCommand command, Map<String, String> variables,
                                                           ApplicationProject project) {
        Path directory = project.directory().resolve("target").resolve("lanner-run").resolve("aot");
        return AheadOfTimeCache.prepare(command, variables, project.directory(), directory)
                .map(cache -> new ApplicationCommand(command.java(), command.systemProperties(), command.classPath(),
                        command.mainClass(), command.arguments(), List.of("-XX:AOTCache=" + cache)))
                .orElse(command);
    }

    /** The launch profile to run, or none. */
    private Profile profile(ApplicationProject project) {
        if (noLaunchProfile) {
            return null;
        }
        Optional<LaunchSettings> settings = LaunchSettings.read(project.directory());
        if (settings.isEmpty()) {
            if (launchProfile != null) {
                throw new CliException("no launch profile '" + launchProfile + "': " + project.directory().resolve(
                        LaunchSettings.FILE_NAME) + " does not exist");
            }
            return null;
        }
        return settings.get().select(launchProfile).orElse(null);
    }

    /** Builds with Maven unless the last build of this configuration saw the same sources. */
    private void build(ApplicationProject project) {
        String fingerprint = BuildStamp.fingerprint(project, configuration.name());
        if (BuildStamp.upToDate(project, fingerprint) && Files.isDirectory(project.classesDirectory())
                && Files.isRegularFile(project.classPathFile())) {
            System.err.println("lanner: " + project.directory().getFileName() + " is up to date (" + configuration
                    + "; no source or pom changed since its last build); not building");
            return;
        }
        Path lanner = ModuleCommand.lannerRoot();
        if (!project.buildRoot().startsWith(lanner)) {
            // A project of its own (lanner new) builds against Lanner's libraries in the local Maven repository.
            LannerArtifacts.ensureInstalled(lanner, System.err);
        }
        String last = BuildStamp.lastConfiguration(project);
        boolean clean = last != null && !last.equals(configuration.name());
        boolean first = !Files.isDirectory(project.classesDirectory());
        System.err.println("lanner: building " + project.directory() + " (" + configuration
                + (clean ? ", after a " + last + " build: clean first" : "")
                + (first ? "; a first build downloads dependencies and may take a minute" : "") + ")...");
        long start = System.nanoTime();
        new MavenBuild(project, Path.of(System.getProperty("java.home")), List.of(), buildProperties(), clean).run();
        BuildStamp.record(project, fingerprint);
        System.err.printf("lanner: built in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** Debug keeps local-variable tables for debuggers; Release leaves them out. */
    List<String> buildProperties() {
        return List.of("maven.compiler.debuglevel=" + (configuration == Configuration.Debug ? "lines,vars,source" : "lines,source"));
    }

    /** Debug: the classes directory; Release: the packaged jar. Then the runtime dependencies. */
    RuntimeClassPath classPath(ApplicationProject project, String mainClass) {
        RuntimeClassPath debug = project.runtimeClassPath();
        if (configuration == Configuration.Debug) {
            return debug;
        }
        return debug.withPackagedJar(packagedJar(project, mainClass));
    }

    /** The jar in {@code target/} that holds the main class (the newest if several do). */
    static Path packagedJar(ApplicationProject project, String mainClass) {
        Path target = project.directory().resolve("target");
        String entry = mainClass.replace('.', '/') + ".class";
        Path best = null;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "*.jar")) {
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    if (file.getEntry(entry) != null && (best == null
                            || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(best)) > 0)) {
                        best = jar;
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot read " + target + ": " + e.getMessage());
        }
        if (best == null) {
            throw new CliException("no packaged jar with " + mainClass + " in " + target + " (run without --no-build)");
        }
        return best;
    }

    /** --environment, else the profile's LANNER_ENVIRONMENT, else the configuration's default. */
    String effectiveEnvironment(Profile profile) {
        if (environment != null) {
            return environment;
        }
        if (profile != null && profile.environmentVariables().containsKey("LANNER_ENVIRONMENT")) {
            return profile.environmentVariables().get("LANNER_ENVIRONMENT");
        }
        return configuration == Configuration.Debug ? "Development" : "Production";
    }

    /**
     * What the application receives after its main class: the options lanner knows in
     * {@code --key=value} form, the profile's arguments, then the unknown options, then the
     * arguments after the project directory or {@code --}.
     */
    List<String> applicationArguments(Profile profile, String effectiveUrls) {
        List<String> arguments = new ArrayList<>();
        if (effectiveUrls != null) {
            arguments.add("--urls=" + effectiveUrls);
        }
        if (environment != null) {
            arguments.add("--environment=" + environment);
        }
        if (server != null) {
            arguments.add("--server=" + server);
        }
        if (profile != null) {
            arguments.addAll(profile.commandLineArgs());
        }
        arguments.addAll(passThroughOptions);
        arguments.addAll(extraArguments);
        return arguments;
    }

    /** Without a profile: what the command line says alone. */
    List<String> applicationArguments() {
        return applicationArguments(null, urls);
    }

    Map<String, String> systemProperties() {
        return Map.of("lanner.configuration", configuration.name());
    }

    /** The profile's variables, then the hosting environment the way the host reads it by default. */
    Map<String, String> environmentVariables(Profile profile, String effectiveEnvironment) {
        Map<String, String> variables = new LinkedHashMap<>();
        if (profile != null) {
            variables.putAll(profile.environmentVariables());
        }
        variables.put("LANNER_ENVIRONMENT", effectiveEnvironment);
        return variables;
    }

    /** Without a profile. */
    Map<String, String> environmentVariables() {
        return environmentVariables(null, effectiveEnvironment(null));
    }

    /**
     * A {@code Module} profile: a site file in {@code target/lanner-run/} mounting the application at
     * {@code /} with the profile's hosting model, variables and addresses, and the module run with it.
     */
    private int runBehindModule(ApplicationProject project, Profile profile, String mainClass, RuntimeClassPath classPath,
                                String effectiveEnvironment, String effectiveUrls, Map<String, String> variables) {
        if (effectiveUrls == null) {
            throw new CliException("launch profile '" + profile.name() + "' runs behind the module and needs an applicationUrl"
                    + " (or --urls) with an explicit port, such as http://localhost:5080");
        }
        ApplicationProject module = ApplicationProject.locate(ModuleCommand.lannerRoot().resolve("lanner-module"));
        if (!noBuild) {
            String fingerprint = BuildStamp.fingerprint(module, "Debug");
            if (!BuildStamp.upToDate(module, fingerprint) || !Files.isRegularFile(module.classPathFile())) {
                System.err.println("lanner: building the module (lanner-module)...");
                new MavenBuild(module, Path.of(System.getProperty("java.home"))).run();
                BuildStamp.record(module, fingerprint);
            }
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode site = json.createObjectNode();
        site.put("environment", effectiveEnvironment);
        ArrayNode bindings = site.putArray("bindings");
        for (String url : effectiveUrls.split(";")) {
            if (!url.isBlank()) {
                bindings.addObject().put("url", url.strip());
            }
        }
        ObjectNode app = site.putArray("applications").addObject();
        app.put("name", project.directory().getFileName().toString());
        app.put("path", "/");
        app.put("directory", project.directory().toString());
        app.put("hostingModel", profile.hostingModel());
        List<String> arguments = new ArrayList<>(profile.commandLineArgs());
        arguments.addAll(passThroughOptions);
        arguments.addAll(extraArguments);
        if (profile.hostingModel().equals("inprocess")) {
            ArrayNode entries = app.putArray("classPath");
            classPath.entries().forEach(entry -> entries.add(entry.toString()));
            app.put("mainClass", mainClass);
            ArrayNode args = app.putArray("arguments");
            arguments.forEach(args::add);
        } else {
            app.put("processPath", ApplicationCommand.currentJava().toString());
            ArrayNode args = app.putArray("arguments");
            args.add("-Dlanner.configuration=" + configuration.name()).add("-cp").add(classPath.asArgument()).add(mainClass);
            arguments.forEach(args::add);
        }
        ObjectNode siteVariables = app.putObject("environmentVariables");
        variables.forEach(siteVariables::put);
        Path siteFile = project.directory().resolve("target").resolve("lanner-run").resolve("site.json");
        try {
            Files.createDirectories(siteFile.getParent());
            json.writerWithDefaultPrettyPrinter().writeValue(siteFile.toFile(), site);
        } catch (IOException e) {
            throw new CliException("cannot write " + siteFile + ": " + e.getMessage());
        }
        System.err.println("lanner: behind the module with " + siteFile);
        return ModuleCommand.runModule(module, siteFile, List.of(), Map.of("LANNER_ENVIRONMENT", effectiveEnvironment));
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
