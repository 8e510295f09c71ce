package dev.lanner.cli;

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

/** Reads a pom's XML as written (no DTD, no external entities) and walks its elements by local name. */
public final class PomXml {

    private PomXml() {
    }

    /** The {@code <project>} element of {@code path}; a one-line {@link CliException} when it cannot be read or parsed. */
    public static Element read(Path path) {
        try {
            var factory = DocumentBuilderFactory.newInstance();
            // A pom never needs a DTD or external entities; refuse them.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null); // errors surface as the exception below, not on stderr
            return builder.parse(path.toFile()).getDocumentElement();
        } catch (SAXException e) {
            throw new CliException("cannot parse " + path + ": " + e.getMessage());
        } catch (IOException e) {
            throw new CliException("cannot read " + path + ": " + e.getMessage());
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The trimmed, non-empty text of the first child {@code name}. */
    public static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().strip()).filter(s -> !s.isEmpty());
    }

    /** The first child element named {@code name} (local name, any prefix). */
    public static Optional<Element> child(Element parent, String name) {
        List<Element> children = children(parent, name);
        return children.isEmpty() ? Optional.empty() : Optional.of(children.getFirst());
    }

    /** The child elements named {@code name} (local name, any prefix), in document order. */
    public static List<Element> children(Element parent, String name) {
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
