package dev.lanner.cli.run;

import dev.lanner.cli.CliException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

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
        try {
            var factory = DocumentBuilderFactory.newInstance();
            // A pom never needs a DTD or external entities; refuse them.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null); // errors surface as the exception below, not on stderr
            Document document = builder.parse(path.toFile());
            return new PomFile(path, document.getDocumentElement());
        } catch (SAXException e) {
            throw new CliException("cannot parse " + path + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CliException("cannot read " + path + ": " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    Path path() {
        return path;
    }

    /** The trimmed value of {@code <properties><name>}, if declared in this pom. */
    Optional<String> property(String name) {
        return child(project, "properties")
                .flatMap(properties -> child(properties, name))
                .map(element -> element.getTextContent().strip())
                .filter(value -> !value.isEmpty());
    }

    /** The directories named by {@code <modules>}, resolved against this pom's directory. */
    List<Path> modules() {
        List<Path> modules = new ArrayList<>();
        child(project, "modules").ifPresent(list -> {
            for (Element module : children(list, "module")) {
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

    private static Optional<Element> child(Element parent, String name) {
        List<Element> children = children(parent, name);
        return children.isEmpty() ? Optional.empty() : Optional.of(children.getFirst());
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && name.equals(localName(element))) {
                found.add(element);
            }
        }
        return found;
    }

    private static String localName(Element element) {
        String name = element.getTagName();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }
}
