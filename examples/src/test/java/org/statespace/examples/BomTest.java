package org.statespace.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The bill of materials lists every published module at the reactor's version. */
class BomTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBomNamesEveryPublishedModuleAtTheParentsVersion() throws Exception {
        Document parent = parse(ROOT.resolve("pom.xml"));
        String version = child(parent.getDocumentElement(), "version");
        Document bom = parse(ROOT.resolve("bom/pom.xml"));
        assertThat(child(bom.getDocumentElement(), "version")).isEqualTo(version);
        assertThat(version).doesNotEndWith("-SNAPSHOT");

        List<String> expected = new ArrayList<>();
        NodeList modules = parent.getElementsByTagName("module");
        for (int i = 0; i < modules.getLength(); i++) {
            String module = modules.item(i).getTextContent().trim();
            if (module.equals("bom") || module.equals("benchmarks")) {
                continue; // the BOM itself, and the benchmarks that are never published
            }
            expected.add(child(parse(ROOT.resolve(module).resolve("pom.xml")).getDocumentElement(), "artifactId"));
        }
        List<String> listed = new ArrayList<>();
        NodeList dependencies = bom.getElementsByTagName("dependency");
        for (int i = 0; i < dependencies.getLength(); i++) {
            Element d = (Element) dependencies.item(i);
            assertThat(child(d, "version")).as(child(d, "artifactId")).isEqualTo(version);
            listed.add(child(d, "artifactId"));
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Files.readString(ROOT.resolve("CHANGELOG.md"))).contains("## " + version);
    }

    private static Document parse(Path pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
    }

    /** The text of the first direct child element with that name. */
    private static String child(Element e, String name) {
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c.getTextContent().trim();
            }
        }
        throw new AssertionError("<" + e.getTagName() + "> has no <" + name + ">");
    }
}
