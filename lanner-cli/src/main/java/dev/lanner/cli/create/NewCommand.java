package dev.lanner.cli.create;

import dev.lanner.cli.CliException;
import dev.lanner.cli.install.LannerArtifacts;
import dev.lanner.cli.install.LannerRoot;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lanner new web [DIR] [--name NAME] [--package PKG]}: creates a Maven project from a template
 * that {@code lanner run DIR} starts and {@code mvn test} passes, then installs Lanner's libraries to the
 * local Maven repository if they are not there yet (the project resolves them from it), as
 * {@code dotnet new} does.
 */
@Command(
        name = "new",
        mixinStandardHelpOptions = true,
        description = {
            "Creates a project from a template, ready for `lanner run` and `mvn test`.",
            "",
            "Templates:",
            "  web  a web application: GET / and GET /about, its test (MainTest), appsettings and launch profiles",
            "",
            "The project uses Lanner's libraries at this checkout's version, installed to the local Maven"
                    + " repository when missing or older than their sources (mvn install, about a minute)."
                    + " An unknown template is an error (exit code 1); so is a folder that is not empty."
        },
        sortOptions = false)
public final class NewCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "<template>", description = "The template: web.")
    private String template;

    @Parameters(index = "1", arity = "0..1", paramLabel = "<dir>",
            description = "The project folder, missing or empty (default: ./NAME).")
    private Path directory;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The project name, its Maven artifactId (default: the folder's name).")
    private String name;

    @Option(names = "--package", paramLabel = "PKG",
            description = "The Java package of its classes (default: com.example.NAME in lower case).")
    private String javaPackage;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        ProjectTemplate chosen = ProjectTemplate.named(template).orElseThrow(() -> new CliException(
                "unknown template '" + template + "'; the templates are: " + ProjectTemplate.names()));
        NewProject unversioned = project();
        // Located before anything is written: a CLI that cannot install Lanner's libraries leaves no project behind.
        Path lannerRoot = LannerRoot.locate();
        NewProject project = unversioned.withLannerVersion(LannerArtifacts.version(lannerRoot));
        List<Path> files = project.write(chosen);

        PrintWriter out = spec.commandLine().getOut();
        out.println("Created the " + chosen.templateName() + " project " + project.name() + " in " + project.directory() + ":");
        files.forEach(file -> out.println("  " + file.toString().replace('\\', '/')));
        out.flush();

        LannerArtifacts.ensureInstalled(lannerRoot, System.err);

        String shown = shownDirectory(project.directory());
        out.println();
        out.println("Next:");
        out.println("  lanner run " + shown + "    (serves http://localhost:5000 with the launch profile " + project.name() + ")");
        out.println("  cd " + shown + " && mvn test");
        out.flush();
        return 0;
    }

    /** The project's names and folder from the command line, with their defaults; validated. */
    NewProject project() {
        if (name == null && directory == null) {
            throw new CliException("give the project folder or --name (e.g. lanner new " + template + " myapp)");
        }
        boolean nameFromFolder = name == null;
        Path folder = directory != null ? directory : Path.of(name);
        String projectName = ProjectNames.requireValidName(
                nameFromFolder ? folderName(folder) : name, nameFromFolder);
        String packageName = javaPackage != null
                ? ProjectNames.requireValidPackage(javaPackage)
                : ProjectNames.defaultPackage(projectName);
        // The version is filled in once the Lanner checkout is known (withLannerVersion).
        return new NewProject(folder, projectName, packageName, "");
    }

    private static String folderName(Path folder) {
        Path absolute = folder.toAbsolutePath().normalize();
        return absolute.getFileName() == null ? "" : absolute.getFileName().toString();
    }

    /** The folder as the user may type it: relative to the working directory when inside it. */
    private static String shownDirectory(Path directory) {
        Path workingDirectory = Path.of("").toAbsolutePath();
        String shown = directory.equals(workingDirectory) ? "."
                : directory.startsWith(workingDirectory) ? workingDirectory.relativize(directory).toString()
                : directory.toString();
        return shown.contains(" ") ? "'" + shown + "'" : shown;
    }
}
