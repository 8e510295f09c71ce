package dev.lanner.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanner.cli.CliException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code lanner module site.json}: builds the module (lanner-module) and every application project
 * the site mounts out of process, then runs the module in a child JVM, as {@code lanner run} does
 * for an application.
 */
@Command(
        name = "module",
        mixinStandardHelpOptions = true,
        description = {
            "Builds and runs the module (the front server hosting the site's applications).",
            "",
            "Application folders of the site file that are Maven projects in the same build are built"
                    + " first. Options after the site file (--Key=Value) configure the front server."
        },
        sortOptions = false,
        subcommands = HashPasswordCommand.class)
public final class ModuleCommand implements Callable<Integer> {

    // Optional to picocli only: a required parameter would be demanded before the subcommand hash-password too.
    @Parameters(index = "0", arity = "0..1", paramLabel = "<site.json>", description = "The site file.")
    private Path siteFile;

    @Parameters(index = "1..*", paramLabel = "<args>", description = "Arguments for the module's front server.")
    private List<String> extraArguments = new ArrayList<>();

    @Unmatched
    private List<String> passThroughOptions = new ArrayList<>();

    @Option(names = "--no-build", description = "Run as last built, without running Maven.")
    private boolean noBuild;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (siteFile == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: '<site.json>'");
        }
        Path site = siteFile.toAbsolutePath().normalize();
        if (!Files.isRegularFile(site)) {
            throw new CliException("site file not found: " + site);
        }
        ApplicationProject module = ApplicationProject.locate(lannerRoot().resolve("lanner-module"));
        if (!noBuild) {
            List<String> projects = applicationProjects(site, module.buildRoot());
            System.err.println("lanner: building the module" + (projects.isEmpty() ? "" : " and " + String.join(", ", projects)));
            new MavenBuild(module, Path.of(System.getProperty("java.home")), projects).run();
        }
        List<String> arguments = new ArrayList<>();
        arguments.addAll(passThroughOptions);
        arguments.addAll(extraArguments);
        return runModule(module, site, arguments, Map.of());
    }

    /** Runs the (built) module with {@code site}, its front server configured by {@code arguments}. */
    static int runModule(ApplicationProject module, Path site, List<String> arguments, Map<String, String> environmentVariables) {
        List<String> all = new ArrayList<>();
        all.add(site.toString());
        all.addAll(arguments);
        // java.lang open: the module clears the thread locals an unloaded in-process application leaves on its threads.
        var command = new ApplicationCommand(ApplicationCommand.currentJava(), Map.of(), module.runtimeClassPath(),
                module.mainClass(), all, List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        // Applications started as "java" run on the JDK that runs lanner.
        Map<String, String> environment = new LinkedHashMap<>(environmentVariables);
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        environment.put("PATH", javaBin + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", ""));
        return ApplicationProcess.run(command, environment, Path.of("").toAbsolutePath());
    }

    /** The repository this CLI was built in: the jar is {@code <root>/lanner-cli/target/lanner-cli.jar}. */
    static Path lannerRoot() {
        try {
            Path location = Path.of(ModuleCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = location.getParent().getParent().getParent();
            if (!Files.isRegularFile(root.resolve("lanner-module/pom.xml"))) {
                throw new CliException("cannot find lanner-module beside " + location + "; run lanner from its repository");
            }
            return root;
        } catch (URISyntaxException | NullPointerException e) {
            throw new CliException("cannot locate the lanner repository: " + e);
        }
    }

    /**
     * The module paths (relative to {@code buildRoot}) of the site's application folders that are
     * Maven projects of that build. A site file the module will reject gives none: the module then
     * reports the problem in its one line.
     */
    static List<String> applicationProjects(Path site, Path buildRoot) {
        List<String> projects = new ArrayList<>();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(site.toFile());
        } catch (IOException e) {
            return projects;
        }
        for (JsonNode app : root.path("applications")) {
            String directory = app.path("directory").asText(null);
            Path folder = directory == null ? site.getParent() : site.getParent().resolve(directory).normalize();
            if (Files.isRegularFile(folder.resolve("pom.xml")) && folder.startsWith(buildRoot) && !folder.equals(buildRoot)) {
                String module = buildRoot.relativize(folder).toString().replace('\\', '/');
                if (!projects.contains(module)) {
                    projects.add(module);
                }
            }
        }
        return projects;
    }
}
