package dev.lanner.cli.install;

import dev.lanner.cli.CliException;
import dev.lanner.cli.PomXml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * What the installer reads of a pom of the Lanner build, as written (no inheritance, no
 * interpolation): its artifactId and version, its {@code <modules>}, and the artifacts of its
 * {@code <dependencies>} with their scope.
 */
record ReactorPom(Path path, String artifactId, Optional<String> version, List<String> modules,
                  List<Dependency> dependencies) {

    /** A declared dependency; {@code scope} is {@code compile} when the pom does not say. */
    record Dependency(String groupId, String artifactId, String scope) {
        /** Whether a project using the declaring module needs this one too (not test- or provided-only). */
        boolean isTransitive() {
            return scope.equals("compile") || scope.equals("runtime");
        }
    }

    static ReactorPom read(Path path) {
        Element project = PomXml.read(path);
        String artifactId = PomXml.text(project, "artifactId")
                .orElseThrow(() -> new CliException(path + " has no <artifactId>; it is not a Maven project file"));
        List<String> modules = new ArrayList<>();
        PomXml.child(project, "modules").ifPresent(list -> PomXml.children(list, "module").forEach(m -> modules.add(m.getTextContent().strip())));
        List<Dependency> dependencies = new ArrayList<>();
        PomXml.child(project, "dependencies").ifPresent(list -> {
            for (Element dependency : PomXml.children(list, "dependency")) {
                dependencies.add(new Dependency(PomXml.text(dependency, "groupId").orElse(""),
                        PomXml.text(dependency, "artifactId").orElse(""), PomXml.text(dependency, "scope").orElse("compile")));
            }
        });
        return new ReactorPom(path, artifactId, PomXml.text(project, "version"), modules, dependencies);
    }
}
