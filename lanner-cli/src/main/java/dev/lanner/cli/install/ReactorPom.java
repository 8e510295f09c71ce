package dev.lanner.cli.install;

import dev.lanner.cli.CliException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

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
        Element project;
        try {
            var factory = DocumentBuilderFactory.newInstance();
            // A pom never needs a DTD or external entities; refuse them.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null); // errors surface as the exception below, not on stderr
            project = builder.parse(path.toFile()).getDocumentElement();
        } catch (SAXException e) {
            throw new CliException("cannot parse " + path + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CliException("cannot read " + path + ": " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        String artifactId = text(project, "artifactId")
                .orElseThrow(() -> new CliException(path + " has no <artifactId>; it is not a Maven project file"));
        List<String> modules = new ArrayList<>();
        child(project, "modules").ifPresent(list -> children(list, "module").forEach(m -> modules.add(m.getTextContent().strip())));
        List<Dependency> dependencies = new ArrayList<>();
        child(project, "dependencies").ifPresent(list -> {
            for (Element dependency : children(list, "dependency")) {
                dependencies.add(new Dependency(text(dependency, "groupId").orElse(""),
                        text(dependency, "artifactId").orElse(""), text(dependency, "scope").orElse("compile")));
            }
        });
        return new ReactorPom(path, artifactId, text(project, "version"), modules, dependencies);
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
    }

    private static Optional<Element> child(Element parent, String name) {
        List<Element> children = children(parent, name);
        return children.isEmpty() ? Optional.empty() : Optional.of(children.getFirst());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(element.getLocalName() != null ? element.getLocalName() : element.getTagName())) {
                found.add(element);
            }
        }
        return found;
    }
}
