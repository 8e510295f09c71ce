package dev.lanner.cli.run;

import dev.lanner.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An application project: a Maven module whose pom names the class to run in the
 * {@code lanner.mainClass} property, and the Maven build (repository root) it belongs to.
 *
 * @param directory the project's directory (real path)
 * @param buildRoot the directory Maven is run from: the outermost aggregator whose
 *     {@code <modules>} lead to the project, or the project itself
 */
record ApplicationProject(Path directory, Path buildRoot) {
    static final String MAIN_CLASS_PROPERTY = "lanner.mainClass";

    /** Finds the project at {@code location} (its directory, or its {@code pom.xml}). */
    static ApplicationProject locate(Path location) {
        Path path = location.toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new CliException("project directory not found: " + location);
        }
        if (Files.isRegularFile(path) && path.getFileName().toString().equals("pom.xml")) {
            path = path.getParent();
        }
        if (!Files.isDirectory(path)) {
            throw new CliException("not a project directory: " + location);
        }
        Path directory;
        try {
            directory = path.toRealPath();
        } catch (IOException e) {
            throw new CliException("cannot open project directory " + location + ": " + e.getMessage());
        }
        if (!Files.isRegularFile(directory.resolve("pom.xml"))) {
            throw new CliException("no pom.xml in " + directory + " (a Lanner application is a Maven project)");
        }
        return new ApplicationProject(directory, findBuildRoot(directory));
    }

    /**
     * Walks up from the project: every ancestor whose pom lists the current root (or
     * the project) as a module becomes the new root, so directories without a pom in
     * between ({@code samples/}) are crossed.
     */
    static Path findBuildRoot(Path project) {
        Path root = project;
        for (Path dir = project.getParent(); dir != null; dir = dir.getParent()) {
            Path pom = dir.resolve("pom.xml");
            if (Files.isRegularFile(pom) && PomFile.read(pom).modules().contains(root)) {
                root = dir;
            }
        }
        return root;
    }

    Path pom() {
        return directory.resolve("pom.xml");
    }

    /** The project's path relative to the build root, as Maven's {@code -pl} takes it; empty for a standalone project. */
    String modulePath() {
        return buildRoot.relativize(directory).toString();
    }

    /** The class to run, from the project's {@code <lanner.mainClass>} property. */
    String mainClass() {
        PomFile pom = PomFile.read(pom());
        String mainClass = pom.property(MAIN_CLASS_PROPERTY).orElseThrow(() -> new CliException(
                pom.path() + " does not name the class to run: add <properties><" + MAIN_CLASS_PROPERTY
                        + ">your.package.Application</" + MAIN_CLASS_PROPERTY + "></properties>"));
        if (mainClass.contains("${")) {
            throw new CliException(pom.path() + ": <" + MAIN_CLASS_PROPERTY + "> must be a class name, not an expression: "
                    + mainClass);
        }
        return mainClass;
    }

    Path classesDirectory() {
        return directory.resolve("target").resolve("classes");
    }

    Path classPathFile() {
        return directory.resolve("target").resolve(RuntimeClassPath.FILE_NAME);
    }

    /** The project's classes followed by its runtime dependencies, as its build wrote them. */
    RuntimeClassPath runtimeClassPath() {
        if (!Files.isDirectory(classesDirectory())) {
            throw new CliException("project is not built: " + classesDirectory() + " is missing (run without --no-build)");
        }
        return RuntimeClassPath.read(classesDirectory(), classPathFile());
    }
}
