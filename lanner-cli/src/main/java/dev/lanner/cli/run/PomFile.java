package dev.lanner.cli.run;

import dev.lanner.cli.PomXml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * The parts of a {@code pom.xml} that the CLI reads as written (no inheritance, no
 * interpolation): its own {@code <properties>} and {@code <modules>}.
 */
final class PomFile {
    private final Path path;
    private final Element project;

    private PomFile(Path path, Element project) {
        this.path = path;
        this.project = project;
    }

    static PomFile read(Path path) {
        return new PomFile(path, PomXml.read(path));
    }

    Path path() {
        return path;
    }

    /** The trimmed value of {@code <properties><name>}, if declared in this pom. */
    Optional<String> property(String name) {
        return PomXml.child(project, "properties")
                .flatMap(properties -> PomXml.child(properties, name))
                .map(element -> element.getTextContent().strip())
                .filter(value -> !value.isEmpty());
    }

    /** The directories named by {@code <modules>}, resolved against this pom's directory. */
    List<Path> modules() {
        List<Path> modules = new ArrayList<>();
        PomXml.child(project, "modules").ifPresent(list -> {
            for (Element module : PomXml.children(list, "module")) {
                String name = module.getTextContent().strip();
                if (!name.isEmpty()) {
                    Path resolved = path.getParent().resolve(name).normalize();
                    // A module may name a pom file instead of its directory.
                    modules.add(resolved.getFileName() != null && resolved.getFileName().toString().endsWith(".xml")
                            ? resolved.getParent()
                            : resolved);
                }
            }
        });
        return modules;
    }
}
